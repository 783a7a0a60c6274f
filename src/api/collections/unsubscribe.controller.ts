import { Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { UnsubscribeTokensRepository } from '../../db/unsubscribe-tokens.repository';
import { unsubscribedPage } from '../../domain/unsubscribe';
import { Public } from '../auth/public.decorator';

/**
 * The link every customer reminder carries (PRODUCT.md §10). Following it (GET) or the mail client's RFC 8058
 * one-click POST sets the customer's `remindersEnabled` to false; both answer a page, and an unknown token a 404 page.
 */
@ApiTags('unsubscribe')
@Controller('unsubscribe')
export class UnsubscribeController {
  private readonly tokens: UnsubscribeTokensRepository;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.tokens = new UnsubscribeTokensRepository(dataSource);
  }

  @Get(':token')
  @Public()
  @ApiOperation({ summary: 'Unsubscribes the customer of the link from reminders and shows a confirmation page (no API key)' })
  @ApiParam({ name: 'token', type: 'string', description: 'The token of the link, as emailed' })
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, description: 'Unsubscribed (again, if already)', content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiResponse({ status: 404, description: 'Unknown token', content: { 'text/html': { schema: { type: 'string' } } } })
  follow(@Param('token') token: string, @Res() res: Response): Promise<void> {
    return this.answer(token, res);
  }

  @Post(':token')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'RFC 8058 one-click unsubscribe (body List-Unsubscribe=One-Click, form-encoded; no API key)' })
  @ApiParam({ name: 'token', type: 'string' })
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, description: 'Unsubscribed', content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiResponse({ status: 404, description: 'Unknown token', content: { 'text/html': { schema: { type: 'string' } } } })
  oneClick(@Param('token') token: string, @Res() res: Response): Promise<void> {
    return this.answer(token, res);
  }

  private async answer(token: string, res: Response): Promise<void> {
    const found = await this.tokens.unsubscribe(token);
    res.status(found ? 200 : 404).type('html').set('Cache-Control', 'no-store').set('Referrer-Policy', 'no-referrer').send(unsubscribedPage(found));
  }
}
