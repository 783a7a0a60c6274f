import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { Public } from '../auth/public.decorator';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { pingDatabase } from '../../db/health';
import { TemporalClient } from '../temporal/temporal.module';

type Check = { status: 'up' } | { status: 'down'; error: string };

async function check(fn: () => Promise<unknown>, timeoutMs: number): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: 'up' };
  } catch (err) {
    return { status: 'down', error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly temporal: TemporalClient,
  ) {}

  @Get()
  @ApiOkResponse({ description: 'Database and Temporal are up', schema: { example: { status: 'ok', database: { status: 'up' }, temporal: { status: 'up' } } } })
  @ApiServiceUnavailableResponse({ description: 'At least one dependency is down; each is reported' })
  async health(@Res({ passthrough: true }) res: Response) {
    const [database, temporal] = await Promise.all([
      check(() => pingDatabase(this.dataSource), 2000),
      check(() => this.temporal.ping(2000), 2500),
    ]);
    const ok = database.status === 'up' && temporal.status === 'up';
    res.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: ok ? 'ok' : 'degraded', database, temporal };
  }
}
