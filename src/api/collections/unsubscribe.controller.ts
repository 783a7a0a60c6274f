import { Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { UnsubscribeTokensRepository } from '../../db/unsubscribe-tokens.repository';
import { UNSUBSCRIBE_PAGE_CSP, unsubscribeAskPage, unsubscribedPage } from '../../domain/unsubscribe';
import { Public } from '../auth/public.decorator';
import { sendTokenPage } from '../common/token-page';

const html = { 'text/html': { schema: { type: 'string' } } };


/**
 * The link every customer reminder carries. Following it (GET) shows a page and changes nothing: mail scanners fetch
 * every link of an email on arrival. Its button, like the mail client's RFC 8058 one-click, POSTs: that sets the
 * customer's `remindersEnabled` to false. An unknown token is a 404 page either way.
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
  @ApiOperation({ summary: 'The unsubscribe page of a reminder\'s link: asks, with a button that posts; changes nothing (no API key)' })
  @ApiParam({ name: 'token', type: 'string', description: 'The token of the link, as emailed' })
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, description: 'The page and its Unsubscribe button', content: html })
  @ApiResponse({ status: 404, description: 'Unknown token', content: html })
  async follow(@Param('token') token: string, @Res() res: Response): Promise<void> {
    const found = await this.tokens.find(token);
    sendTokenPage(res, { status: found ? 200 : 404, html: found ? unsubscribeAskPage(found) : unsubscribedPage(null) }, UNSUBSCRIBE_PAGE_CSP);
  }

  @Post(':token')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Unsubscribes the link\'s customer from reminders: the page\'s button, or RFC 8058 one-click (List-Unsubscribe=One-Click, form-encoded); no API key' })
  @ApiParam({ name: 'token', type: 'string' })
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, description: 'Unsubscribed (again, if already)', content: html })
  @ApiResponse({ status: 404, description: 'Unknown token', content: html })
  async oneClick(@Param('token') token: string, @Res() res: Response): Promise<void> {
    const found = await this.tokens.unsubscribe(token);
    sendTokenPage(res, { status: found ? 200 : 404, html: unsubscribedPage(found) }, UNSUBSCRIBE_PAGE_CSP);
  }
}
