import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, registerDecorator, ValidateIf, ValidateNested,
  type ValidationArguments,
} from 'class-validator';
import { integer, text, uuid } from '../common/api-docs';
import { ApprovalView } from './approval.view';

export const BULK_MAX_ITEMS = 100;
export const BULK_KINDS = ['invoice', 'bill'] as const;
export type BulkKind = (typeof BULK_KINDS)[number];

export class BulkDecisionItemDto {
  @ApiProperty({ enum: BULK_KINDS, example: 'invoice' })
  @IsIn(BULK_KINDS, { message: 'kind must be one of invoice, bill' })
  kind!: BulkKind;

  @ApiProperty(uuid)
  @IsUUID('all', { message: 'id must be a UUID' })
  id!: string;
}

/** The first item that repeats an earlier one (same kind, same id in any case), as `items.3 repeats items.0 (…)`. */
export function repeatedItem(items: readonly { kind: string; id: string }[]): string | undefined {
  const seen = new Map<string, number>();
  for (const [i, item] of items.entries()) {
    const key = `${item.kind} ${String(item.id).toLowerCase()}`;
    const first = seen.get(key);
    if (first !== undefined) return `items.${i} repeats items.${first} (${item.kind} ${String(item.id).toLowerCase()}); send each document once`;
    seen.set(key, i);
  }
  return undefined;
}

function NoRepeatedItem(): PropertyDecorator {
  return (target, propertyName) => registerDecorator({
    name: 'noRepeatedItem',
    target: target.constructor,
    propertyName: propertyName as string,
    validator: {
      validate: (value: unknown) => !Array.isArray(value) || repeatedItem(value.filter((v) => v && typeof v === 'object')) === undefined,
      defaultMessage: (args?: ValidationArguments) => repeatedItem((args?.value as { kind: string; id: string }[]).filter((v) => v && typeof v === 'object')) ?? '',
    },
  });
}

const ITEMS_COUNT = { message: `items must hold 1 to ${BULK_MAX_ITEMS} items; send a larger batch in several calls` };

export class BulkDecisionDto {
  @ApiProperty({ enum: ['approve', 'reject'], example: 'approve' })
  @IsIn(['approve', 'reject'], { message: 'decision must be one of approve, reject' })
  decision!: 'approve' | 'reject';

  @ApiProperty({
    type: [BulkDecisionItemDto], minItems: 1, maxItems: BULK_MAX_ITEMS,
    description: 'the documents to decide, each once; each is decided on its own, in this order in the answer',
  })
  @IsArray(ITEMS_COUNT)
  @ArrayMinSize(1, ITEMS_COUNT)
  @ArrayMaxSize(BULK_MAX_ITEMS, ITEMS_COUNT)
  @ValidateNested({ each: true })
  @Type(() => BulkDecisionItemDto)
  @NoRepeatedItem()
  items!: BulkDecisionItemDto[];

  @ApiPropertyOptional({ ...text, maxLength: 2000, example: 'Checked against the purchase orders', description: 'approve only: recorded with each decision' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;

  @ApiPropertyOptional({ ...text, minLength: 1, maxLength: 2000, example: 'Duplicates of last month', description: 'reject only, and required there' })
  @ValidateIf((o: BulkDecisionDto) => o.decision === 'reject' || o.reason !== undefined)
  @IsString()
  @Matches(/\S/, { message: 'reason must say why the documents are rejected (not blank)' })
  @MaxLength(2000)
  reason?: string;
}

@ApiSchema({ name: 'BulkDecisionResult' })
export class BulkDecisionResultView {
  @ApiProperty({ enum: BULK_KINDS }) kind!: BulkKind;
  @ApiProperty(uuid) id!: string;
  @ApiProperty({ enum: ['decided', 'refused'] }) outcome!: 'decided' | 'refused';
  @ApiPropertyOptional({ type: ApprovalView, description: 'when decided: the approval with the decision recorded, as the single route answers it' })
  approval?: ApprovalView;
  @ApiPropertyOptional({ ...integer, example: 409, description: 'when refused: the status the single route answers for this document' })
  status?: number;
  @ApiPropertyOptional({ type: String, example: 'Conflict', description: 'when refused: the reason phrase of status' })
  error?: string;
  @ApiPropertyOptional({ type: String, example: 'invoice INV-1042 is not pending approval (its approval status is approved)', description: 'when refused: the single route\'s message' })
  message?: string;
}

@ApiSchema({ name: 'BulkDecision' })
export class BulkDecisionView {
  @ApiProperty({ enum: ['approve', 'reject'] }) decision!: 'approve' | 'reject';
  @ApiProperty({ ...integer, minimum: 0, description: 'items decided' }) decided!: number;
  @ApiProperty({ ...integer, minimum: 0, description: 'items refused' }) refused!: number;
  @ApiProperty({ type: [BulkDecisionResultView], description: 'one per item, in the order sent' }) results!: BulkDecisionResultView[];
}
