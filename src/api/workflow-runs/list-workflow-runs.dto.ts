import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { ListQueryDto } from '../common/pagination';

export class ListWorkflowRunsDto extends ListQueryDto {
  @ApiPropertyOptional({ type: String, format: 'uuid', description: 'Only the runs of this workflow definition' })
  @IsOptional()
  @IsUUID('all', { message: 'workflowId must be the id (uuid) of a workflow definition' })
  workflowId?: string;
}
