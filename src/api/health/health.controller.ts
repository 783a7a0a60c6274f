import { Controller, Get, HttpStatus, Logger, Res } from '@nestjs/common';
import { Public } from '../auth/public.decorator';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiSchema, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { pingDatabase } from '../../db/health';
import { errorFields } from '../../infra/logger';
import { TemporalClient } from '../temporal/temporal.module';

type Check = { status: 'up' } | { status: 'down'; error: string };

const logger = new Logger('HealthController');
const TIMED_OUT = Symbol('timed out');

/**
 * Anyone may ask /health: a failure answers a fixed sentence, and the driver's own text (user names, hosts,
 * addresses) goes to the log only.
 */
async function check(name: 'the database' | 'Temporal', fn: () => Promise<unknown>, timeoutMs: number): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const answer = await Promise.race([
      fn(),
      new Promise((resolve) => {
        timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
      }),
    ]);
    if (answer === TIMED_OUT) return { status: 'down', error: `no answer within ${timeoutMs} ms` };
    return { status: 'up' };
  } catch (err) {
    logger.warn(`health check: ${name} does not answer`, { error: errorFields(err).error });
    return { status: 'down', error: `${name} does not answer` };
  } finally {
    clearTimeout(timer);
  }
}

class CheckView {
  @ApiProperty({ enum: ['up', 'down'] }) status!: 'up' | 'down';
  @ApiPropertyOptional({ type: String, description: 'Why it is down' }) error?: string;
}

@ApiSchema({ name: 'Health' })
class HealthView {
  @ApiProperty({ enum: ['ok', 'degraded'] }) status!: 'ok' | 'degraded';
  @ApiProperty({ type: CheckView }) database!: Check;
  @ApiProperty({ type: CheckView }) temporal!: Check;
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
  @ApiOperation({ summary: 'Whether the database and Temporal answer (for load balancers and orchestrators)' })
  @ApiOkResponse({ type: HealthView, description: 'Database and Temporal are up', example: { status: 'ok', database: { status: 'up' }, temporal: { status: 'up' } } })
  @ApiServiceUnavailableResponse({
    type: HealthView, description: 'At least one dependency is down; each is reported',
    example: { status: 'degraded', database: { status: 'up' }, temporal: { status: 'down', error: 'no answer within 2500 ms' } },
  })
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthView> {
    const [database, temporal] = await Promise.all([
      check('the database', () => pingDatabase(this.dataSource), 2000),
      check('Temporal', () => this.temporal.ping(2000), 2500),
    ]);
    const ok = database.status === 'up' && temporal.status === 'up';
    res.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: ok ? 'ok' : 'degraded', database, temporal };
  }
}
