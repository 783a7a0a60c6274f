import { DomainError } from './errors';
import { checkMessageTemplate, formatDate, formatMoney, MessageRenderError, MessageTemplateError, renderHtmlBody, renderMessage, renderText } from './messages';

const ALLOWED = ['customerName', 'invoiceNumber', 'amount', 'dueDate', 'billNumber'];

describe(checkMessageTemplate.name, () => {
  it('accepts variables, helpers and #if blocks', () => {
    expect(() => checkMessageTemplate('Hi {{customerName}}, {{money amount}} due {{date dueDate style="short"}}{{#if billNumber}} ({{billNumber}}){{else}}!{{/if}}', ALLOWED)).not.toThrow();
  });

  it.each([
    ['Hello {{customerNme}}', 'uses unknown variable "customerNme" (line 1, column 7)'],
    ['{{money totalDue}}', 'unknown variable "totalDue"'],
    ['{{#if vip}}x{{/if}}', 'unknown variable "vip"'],
    ['Hello {{customerName}', 'does not compile'],
    ['{{#each items}}{{/each}}', 'unknown block helper "#each"'],
    ['{{lookup amount 1}}', 'unknown helper "lookup"'],
    ['{{money}}', 'helper "money" (line 1, column 1) takes 1 value'],
    ['{{{customerName}}}', 'triple braces'],
    ['{{> footer}}', 'partials'],
    ['{{@root.secret}}', '"@root.secret"'],
    ['{{../customerName}}', 'not a variable'],
    ['{{money amount precision=3}}', 'no option "precision"'],
    ['{{constructor}}', 'unknown variable "constructor"'],
    // Options that would throw at render, failing every record of a sweep: only literal, known values are saved.
    ['{{money amount currency="EURO"}}', 'helper "money" option "currency" (line 1, column 1) takes an ISO 4217 currency code such as currency="EUR", not "EURO"'],
    ['{{money amount currency="eur"}}', 'takes an ISO 4217 currency code such as currency="EUR", not "eur"'],
    ['{{money amount currency=customerName}}', 'helper "money" option "currency" (line 1, column 1) takes a currency code in quotes, such as currency="EUR", not a variable or expression'],
    ['{{money amount currency=12}}', 'helper "money" option "currency" (line 1, column 1) takes a currency code in quotes'],
    ['{{money amount currency=(money amount)}}', 'helper "money" option "currency" (line 1, column 1) takes a currency code in quotes'],
    ['{{date dueDate style="tiny"}}', 'helper "date" option "style" (line 1, column 1) takes one of "short", "medium", "long", "full", not "tiny"'],
    ['{{date dueDate style=invoiceNumber}}', 'helper "date" option "style" (line 1, column 1) takes one of "short", "medium", "long", "full" in quotes, not a variable or expression'],
  ])('refuses %s', (text, message) => {
    expect(() => checkMessageTemplate(text, ALLOWED)).toThrow(MessageTemplateError);
    expect(() => checkMessageTemplate(text, ALLOWED)).toThrow(message);
  });

  it('takes literal ISO 4217 codes and date styles', () => {
    expect(() => checkMessageTemplate('{{money amount currency="EUR"}} {{money amount currency="JPY"}} {{date dueDate style="full"}}', ALLOWED)).not.toThrow();
  });
});

describe(formatMoney.name, () => {
  it('formats exact decimal strings in the locale and currency', () => {
    expect(formatMoney('1250.5', 'en-US', 'USD')).toBe('$1,250.50');
    expect(formatMoney('999999999999.99', 'en-US', 'USD')).toBe('$999,999,999,999.99');
    expect(formatMoney('1250.00', 'fr-CA', 'CAD')).toBe('1\u00a0250,00\u00a0$');
  });
});

describe(formatDate.name, () => {
  it('shows calendar days as they are and instants in the timezone', () => {
    expect(formatDate('2026-03-05', 'en-US', 'Pacific/Kiritimati')).toBe('March 5, 2026');
    expect(formatDate('2026-03-05', 'fr-CA', 'UTC')).toBe('5 mars 2026');
    expect(formatDate(new Date('2026-03-05T02:00:00Z'), 'en-US', 'America/Toronto')).toBe('March 4, 2026');
  });
});

describe(renderMessage.name, () => {
  const variables = { customerName: '<b>Tom & Jerry</b>', invoiceNumber: 'INV-7', amount: '1250.00', dueDate: '2026-12-02' };
  const message = { subject: 'Invoice {{invoiceNumber}} for {{customerName}}', body: 'Hello {{customerName}}, {{money amount}} due {{date dueDate}}.' };

  it('escapes values in HTML bodies but never in subjects', () => {
    expect(renderMessage(message, variables, { locale: 'en-US', currency: 'USD', html: true })).toEqual({
      subject: 'Invoice INV-7 for <b>Tom & Jerry</b>',
      body: 'Hello &lt;b&gt;Tom &amp; Jerry&lt;/b&gt;, $1,250.00 due December 2, 2026.',
    });
  });

  it('leaves plain text alone and speaks the locale', () => {
    expect(renderMessage(message, variables, { locale: 'fr-CA', currency: 'CAD', html: false }).body)
      .toBe('Hello <b>Tom & Jerry</b>, 1\u00a0250,00\u00a0$ due 2 décembre 2026.');
  });

  it('throws a MessageRenderError (a DomainError) when a text saved before the checks cannot render', () => {
    const render = () => renderText('Due: {{money amount currency="EURO"}}', variables, { locale: 'en-US', currency: 'USD', html: false });
    expect(render).toThrow(MessageRenderError);
    expect(render).toThrow(DomainError);
    expect(render).toThrow('the message cannot be rendered: Invalid currency code : EURO');
    expect(() => renderMessage({ subject: '{{money amount currency=invoiceNumber}}', body: '' }, variables, { locale: 'en-US', currency: 'USD', html: false }))
      .toThrow(MessageRenderError);
  });

  it('keeps a subject on one line', () => {
    expect(renderMessage({ subject: 'A\n{{invoiceNumber}}', body: '' }, variables, { locale: 'en-US', currency: 'USD', html: false }).subject).toBe('A INV-7');
  });
});

describe(renderHtmlBody.name, () => {
  it('escapes values and keeps line breaks', () => {
    expect(renderHtmlBody('Hi {{name}},\n<p>ok</p>', { name: '<script>' }, { locale: 'en-US', currency: 'USD' })).toBe('Hi &lt;script&gt;,<br>\n<p>ok</p>');
  });
});
