import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/public.decorator';
import { ANSWER_PAGE_CSP } from './answer-page';
import { type AnswerForm, CustomerAnswersService } from './customer-answers.service';
import { sendTokenPage } from '../common/token-page';

const html = { 'text/html': { schema: { type: 'string' } } };

const PAGE_RESPONSES = {
  404: 'Not a link Relance issued',
  410: 'Expired (60 days after its reminder) or the invoice is paid: the page says so and takes no answer',
  429: 'Not a link Relance issued, after too many of those from this address (a link Relance issued is always answered)',
};


/** The page a reminder's answer link opens: HTML for the customer, no login; the token in the path is the credential. */
@ApiTags('customer answers')
@Public()
@Controller('r')
export class CustomerAnswersController {
  constructor(private readonly answers: CustomerAnswersService) {}

  @Get(':token')
  @ApiOperation({ summary: 'The answer page of a reminder\'s link: the invoice and its forms (already paid, dispute, promise to pay); changes nothing' })
  @ApiParam({ name: 'token', type: 'string', description: 'The token of the link, as emailed' })
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, description: 'The invoice and the forms it allows, in the customer\'s locale (else the company\'s)', content: html })
  @ApiResponse({ status: 404, description: PAGE_RESPONSES[404], content: html })
  @ApiResponse({ status: 410, description: PAGE_RESPONSES[410], content: html })
  @ApiResponse({ status: 429, description: PAGE_RESPONSES[429], content: html })
  async show(@Param('token') token: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    sendTokenPage(res, await this.answers.show(token, req.ip ?? 'unknown'), ANSWER_PAGE_CSP);
  }

  @Post(':token')
  @ApiOperation({
    summary: 'The customer\'s answer from the page\'s forms: already paid (reminders pause 7 days, a task to reconcile), '
      + 'dispute (reminders stop until resolved), or a promise to pay on a day (reminders pause until two days past it)',
  })
  @ApiParam({ name: 'token', type: 'string', description: 'The token of the link, as emailed' })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({
    required: true,
    schema: {
      type: 'object', required: ['answer'],
      properties: {
        answer: { type: 'string', enum: ['already_paid', 'dispute', 'promise'] },
        reference: { type: 'string', maxLength: 200, description: 'already_paid: the payment\'s reference, optional' },
        reason: { type: 'string', maxLength: 2000, description: 'dispute: required' },
        payOn: { type: 'string', format: 'date', description: 'promise: required; from today to 60 days ahead in the customer\'s time zone' },
      },
    },
  })
  @ApiProduces('text/html')
  @ApiResponse({ status: 200, description: 'Recorded: the page thanks and says what happens now', content: html })
  @ApiResponse({ status: 400, description: 'A dispute without a reason, or a promise without a date in range: the page again, saying so', content: html })
  @ApiResponse({ status: 404, description: PAGE_RESPONSES[404], content: html })
  @ApiResponse({ status: 409, description: 'A third promise, or a dispute or promise while a dispute is open: nothing recorded', content: html })
  @ApiResponse({ status: 410, description: PAGE_RESPONSES[410], content: html })
  @ApiResponse({ status: 429, description: PAGE_RESPONSES[429], content: html })
  async answer(@Param('token') token: string, @Body() form: AnswerForm, @Req() req: Request, @Res() res: Response): Promise<void> {
    sendTokenPage(res, await this.answers.answer(token, req.ip ?? 'unknown', form ?? {}), ANSWER_PAGE_CSP);
  }
}
