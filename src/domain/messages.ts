// STAND-IN (reminders branch): the real src/domain/messages.ts is written on the domain branch; drop this one for it.
import Handlebars from 'handlebars';

export interface RenderOptions {
  locale: string;
  currency: string;
  html: boolean;
}

function helpers(options: RenderOptions) {
  const hb = Handlebars.create();
  hb.registerHelper('money', (value: unknown) =>
    new Intl.NumberFormat(options.locale, { style: 'currency', currency: options.currency }).format(Number(value)));
  hb.registerHelper('date', (value: unknown) => {
    const [y, m, d] = String(value).slice(0, 10).split('-').map(Number);
    return new Intl.DateTimeFormat(options.locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
  });
  return hb;
}

export function renderMessage(
  message: { subject: string; body: string },
  variables: Record<string, unknown>,
  options: RenderOptions,
): { subject: string; text: string; html?: string } {
  const hb = helpers(options);
  const subject = hb.compile(message.subject, { noEscape: true })(variables);
  const text = hb.compile(message.body, { noEscape: true })(variables);
  if (!options.html) return { subject, text };
  const html = hb.compile(message.body)(variables).split('\n').map((line) => `<p>${line}</p>`).join('');
  return { subject, text, html };
}
