import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/public.decorator';
import { PAGE_CSP } from './approval-page';
import { ApprovalLinksService, type DecisionForm } from './approval-links.service';
import { sendTokenPage } from '../common/token-page';

const PAGE_RESPONSES = {
  200: 'The invoice and the Approve / Reject forms (or, above the company\'s emailApprovalLimit, why to decide through the API)',
  400: 'A rejection without a reason: the page again, saying so',
  403: 'Above the company\'s emailApprovalLimit: nothing decided',
  404: 'Not a link Relance issued',
  410: 'Used, expired or superseded: who decided, and when',
  429: 'Not a link Relance issued, after too many of those from this address (a link Relance issued is always answered)',
  503: 'The decision could not be confirmed in time',
};


/** The page an approval email links to: HTML for people, no API key; the token in the path is the credential. */
@ApiTags('approvals')
@Public()
@Controller('approvals')
export class ApprovalLinksController {
  constructor(private readonly links: ApprovalLinksService) {}

  @Get(':token')
  @ApiOperation({ summary: 'The decision page of an approval email\'s link (HTML)' })
  @ApiParam({ name: 'token', description: 'the link\'s token, as the email gives it' })
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, description: PAGE_RESPONSES[200], content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiResponse({ status: 404, description: PAGE_RESPONSES[404], content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiResponse({ status: 410, description: PAGE_RESPONSES[410], content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiResponse({ status: 429, description: PAGE_RESPONSES[429], content: { 'text/html': { schema: { type: 'string' } } } })
  async show(@Param('token') token: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    sendTokenPage(res, await this.links.show(token, req.ip ?? 'unknown'), PAGE_CSP);
  }

  @Get(':token/pdf')
  @ApiOperation({ summary: 'The invoice of an approval email\'s link as a PDF, while the link is valid' })
  @ApiParam({ name: 'token', description: 'the link\'s token, as the email gives it' })
  @ApiProduces('application/pdf', 'text/html')
  @ApiResponse({ status: 200, description: 'The invoice\'s PDF (the same file the API\'s GET /v1/invoices/{id}/pdf answers)', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } })
  @ApiResponse({ status: 404, description: PAGE_RESPONSES[404], content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiResponse({ status: 410, description: 'Used, expired or superseded: the page saying so, no PDF', content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiResponse({ status: 429, description: PAGE_RESPONSES[429], content: { 'text/html': { schema: { type: 'string' } } } })
  async pdf(@Param('token') token: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const answer = await this.links.pdf(token, req.ip ?? 'unknown');
    if ('html' in answer) return sendTokenPage(res, answer, PAGE_CSP);
    res.status(200)
      .set({
        'Content-Type': 'application/pdf',
        'Content-Disposition': `inline; filename="${answer.filename}"`,
        'Cache-Control': 'no-store',
        'Referrer-Policy': 'no-referrer',
        'X-Content-Type-Options': 'nosniff',
      })
      .send(answer.pdf);
  }

  @Post(':token')
  @ApiOperation({ summary: 'Approves (optional comment) or rejects (reason required) from the page\'s form, as the link\'s recipient (via: email)' })
  @ApiParam({ name: 'token', description: 'the link\'s token, as the email gives it' })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiResponse({ status: 429, description: PAGE_RESPONSES[429], content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiBody({
    required: true,
    schema: {
      type: 'object', required: ['decision'],
      properties: {
        decision: { type: 'string', enum: ['approve', 'reject'] },
        comment: { type: 'string', maxLength: 2000 },
        reason: { type: 'string', maxLength: 2000, description: 'required to reject' },
      },
    },
  })
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, description: 'Decided: the page says so', content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiResponse({ status: 400, description: PAGE_RESPONSES[400], content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiResponse({ status: 403, description: PAGE_RESPONSES[403], content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiResponse({ status: 404, description: PAGE_RESPONSES[404], content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiResponse({ status: 410, description: PAGE_RESPONSES[410], content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiResponse({ status: 503, description: PAGE_RESPONSES[503], content: { 'text/html': { schema: { type: 'string' } } } })
  async decide(@Param('token') token: string, @Body() form: DecisionForm, @Req() req: Request, @Res() res: Response): Promise<void> {
    sendTokenPage(res, await this.links.decide(token, req.ip ?? 'unknown', form ?? {}), PAGE_CSP);
  }
}
