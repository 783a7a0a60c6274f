import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Page } from '../../db/pagination';
import { WorkflowRunsRepository } from '../../db/workflow-runs.repository';
import { AuthUser } from '../auth/current-user.decorator';
import { splitList } from '../common/pagination';
import { ListRunDeliveriesDto, ListWorkflowRunsDto } from './list-workflow-runs.dto';
import { toDeliveryView, toWorkflowRunView } from './workflow-run.mapper';

const MAX_DELIVERIES = 500;

@Injectable()
export class WorkflowRunsService {
  private readonly runs: WorkflowRunsRepository;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.runs = new WorkflowRunsRepository(dataSource);
  }

  async list(user: AuthUser, query: ListWorkflowRunsDto): Promise<Page<ReturnType<typeof toWorkflowRunView>>> {
    if (query.workflowId && !(await this.runs.definitionExists(user.companyId, query.workflowId))) {
      throw new NotFoundException(`workflow ${query.workflowId} not found`);
    }
    const page = await this.runs.list(user.companyId, { limit: query.limit, cursor: query.cursor, definitionId: query.workflowId });
    return { data: page.data.map(toWorkflowRunView), nextCursor: page.nextCursor };
  }

  async get(user: AuthUser, id: string) {
    const run = await this.run(user, id);
    const deliveries = await this.runs.deliveriesOf(id, MAX_DELIVERIES + 1);
    return {
      ...toWorkflowRunView(run),
      deliveries: deliveries.slice(0, MAX_DELIVERIES).map(toDeliveryView),
      deliveriesTruncated: deliveries.length > MAX_DELIVERIES,
    };
  }

  /** Every delivery of the run, page by page: the detail lists only the first MAX_DELIVERIES. */
  async deliveries(user: AuthUser, id: string, query: ListRunDeliveriesDto) {
    await this.run(user, id);
    const page = await this.runs.deliveriesPage(id, { limit: query.limit, cursor: query.cursor, statuses: splitList(query.status) });
    return { data: page.data.map(toDeliveryView), nextCursor: page.nextCursor };
  }

  /** The caller's run, or 404 (also for another company's: ids never leak across tenants). */
  private async run(user: AuthUser, id: string) {
    const run = await this.runs.find(user.companyId, id);
    if (!run) throw new NotFoundException(`workflow run ${id} not found`);
    return run;
  }
}
