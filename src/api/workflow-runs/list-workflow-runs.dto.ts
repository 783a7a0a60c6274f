import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { ListQueryDto } from '../common/pagination';
import { IsListOf } from '../common/validators';

export const DELIVERY_STATUSES = ['pending', 'sent', 'failed', 'skipped'] as const;

export class ListWorkflowRunsDto extends ListQueryDto {
  @ApiPropertyOptional({ type: String, format: 'uuid', description: 'Only the runs of this workflow definition' })
  @IsOptional()
  @IsUUID('all', { message: 'workflowId must be the id (uuid) of a workflow definition' })
  workflowId?: string;
}

export class ListRunDeliveriesDto extends ListQueryDto {
  @ApiPropertyOptional({
    type: String, pattern: `^(${DELIVERY_STATUSES.join('|')})(,(${DELIVERY_STATUSES.join('|')}))*$`, example: 'failed,pending',
    description: 'One or several statuses, comma-separated: pending (not sent yet, or in doubt), sent, failed, skipped (not sent, with its reason)',
  })
  @IsOptional() @IsListOf(DELIVERY_STATUSES)
  status?: string;
}
