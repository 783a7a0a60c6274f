import { BadRequestException, Body, Controller, Headers, HttpCode, Inject, Options, Post, Req, Res, UnauthorizedException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Payload } from '@temporalio/common';
import { matchesSecret, secretDigest } from '../../infra/shared-secret';
import type { Request, Response } from 'express';
import { EncryptionCodec, PayloadDecryptionError } from '../../infra/payload-codec';
import { Public } from '../auth/public.decorator';

export const CODEC = Symbol('CODEC');
export const CODEC_ACCESS = Symbol('CODEC_ACCESS');

export interface CodecAccess {
  token: string;
  /** Origins of the Temporal Web UI whose browser may call the endpoint (CORS). */
  corsOrigins: string[];
}

/** A payload in the codec server protocol: metadata values and data in base64. */
interface WirePayload {
  metadata?: Record<string, string>;
  data?: string;
}

const MAX_PAYLOADS = 1000;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function bytes(value: unknown, where: string): Uint8Array {
  if (typeof value !== 'string' || !BASE64.test(value)) throw new BadRequestException(`${where} must be a base64 string`);
  return new Uint8Array(Buffer.from(value, 'base64'));
}

/** The request's payloads, or a 400 naming what is wrong. */
function parsePayloads(body: unknown): Payload[] {
  const list = (body as { payloads?: unknown } | null)?.payloads;
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !Array.isArray(list)) {
    throw new BadRequestException('the body must be {"payloads": [...]}');
  }
  if (list.length > MAX_PAYLOADS) throw new BadRequestException(`at most ${MAX_PAYLOADS} payloads per request`);
  return list.map((p: unknown, i) => {
    if (typeof p !== 'object' || p === null || Array.isArray(p)) throw new BadRequestException(`payloads[${i}] must be an object`);
    const { metadata = {}, data = '' } = p as { metadata?: unknown; data?: unknown };
    if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) throw new BadRequestException(`payloads[${i}].metadata must be an object`);
    return {
      metadata: Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, bytes(v, `payloads[${i}].metadata.${k}`)])),
      data: bytes(data, `payloads[${i}].data`),
    };
  });
}

function toWire(payload: Payload): WirePayload {
  return {
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')])),
    data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
  };
}


/**
 * Temporal's codec server protocol for the Web UI and `temporal --codec-endpoint`: payloads in, the same payloads
 * decrypted (or encrypted) out. It decodes only what it is sent. Whoever holds the token reads any payload they can
 * fetch from Temporal: give it to Temporal's operators only.
 */
@ApiExcludeController()
@Public()
@Controller('codec')
export class CodecController {
  private readonly tokenDigest: Buffer;

  constructor(
    @Inject(CODEC) private readonly codec: EncryptionCodec,
    @Inject(CODEC_ACCESS) private readonly access: CodecAccess,
  ) {
    this.tokenDigest = secretDigest(access.token);
  }

  @Options(['decode', 'encode'])
  @HttpCode(204)
  preflight(@Req() req: Request, @Res({ passthrough: true }) res: Response): void {
    if (this.allowOrigin(req, res)) {
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Namespace');
      res.setHeader('Access-Control-Max-Age', '600');
    }
  }

  @Post('decode')
  @HttpCode(200)
  async decode(@Req() req: Request, @Res({ passthrough: true }) res: Response, @Headers('authorization') auth: string | undefined,
    @Body() body: unknown): Promise<{ payloads: WirePayload[] }> {
    this.allowOrigin(req, res);
    this.authorize(auth);
    const payloads = parsePayloads(body);
    try {
      return { payloads: (await this.codec.decode(payloads)).map(toWire) };
    } catch (err) {
      if (err instanceof PayloadDecryptionError) throw new BadRequestException(err.message);
      throw new BadRequestException('a payload could not be decoded');
    }
  }

  @Post('encode')
  @HttpCode(200)
  async encode(@Req() req: Request, @Res({ passthrough: true }) res: Response, @Headers('authorization') auth: string | undefined,
    @Body() body: unknown): Promise<{ payloads: WirePayload[] }> {
    this.allowOrigin(req, res);
    this.authorize(auth);
    return { payloads: (await this.codec.encode(parsePayloads(body))).map(toWire) };
  }

  private authorize(header: string | undefined): void {
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!match || !matchesSecret(match[1], this.tokenDigest)) {
      throw new UnauthorizedException('send "Authorization: Bearer <RELANCE_CODEC_TOKEN>"');
    }
  }

  private allowOrigin(req: Request, res: Response): boolean {
    const origin = req.headers.origin;
    res.setHeader('Vary', 'Origin');
    if (!origin || !this.access.corsOrigins.includes(origin)) return false;
    res.setHeader('Access-Control-Allow-Origin', origin);
    return true;
  }
}
