import { CONDITION_FIELDS } from './conditions';
import { activationProblems, normalizeDefinition } from './definitions';
import { renderMessage } from './messages';
import { catalogueLocale, findTemplate, SUPPORTED_LOCALES, TEMPLATE_KEYS, WORKFLOW_TEMPLATES } from './templates';
import { messageVariables, sampleVariables } from './variables';

describe('WORKFLOW_TEMPLATES', () => {
  it('holds the ten templates of the product, each once', () => {
    expect(WORKFLOW_TEMPLATES.map((t) => t.key)).toEqual([...TEMPLATE_KEYS]);
    expect(Object.fromEntries(WORKFLOW_TEMPLATES.map((t) => [t.key, t.audience]))).toEqual({
      'send-unsent-invoices': 'customer', 'payment-received': 'customer', 'payment-due-reminder': 'customer', 'overdue-invoice-stamp': 'customer',
      'invoice-approval': 'team', 'unsent-invoice-reminder': 'team', 'bill-payment-reminder': 'team', 'bank-deposit-reminder': 'team',
      'collection-sequence': 'customer', 'bill-approval': 'team',
    });
  });

  describe.each(WORKFLOW_TEMPLATES.map((t) => [t.key, t] as const))('%s', (_key, template) => {
    it('offers only fields of its record', () => {
      for (const field of template.conditionFields) expect(Object.keys(CONDITION_FIELDS[template.recordType])).toContain(field);
    });

    it.each(SUPPORTED_LOCALES)('has %s defaults that normalise, and whose texts render', (locale) => {
      const definition = normalizeDefinition(template, {}, { locale });
      expect(definition.name).toBe(template.defaults[locale].name);
      expect(definition.schedule).toEqual(template.trigger === 'schedule' ? { time: '09:00' } : null);
      const variables = sampleVariables(template);
      const rendered = renderMessage(template.defaults[locale].message, variables, { locale, currency: 'CAD', html: true });
      expect(rendered.subject).not.toMatch(/{{|}}/);
      expect(rendered.body.length).toBeGreaterThan(20);
    });

    it('has French texts that differ from the English ones', () => {
      expect(template.defaults['fr-CA'].message.body).not.toBe(template.defaults['en-US'].message.body);
      expect(template.defaults['fr-CA'].name).not.toBe(template.defaults['en-US'].name);
    });

    it('declares exactly the variables messageVariables provides', () => {
      const provided = Object.keys(messageVariables(template.recordType, {
        company: { name: 'Acme', currency: 'USD', timezone: 'UTC' }, now: new Date(), record: {},
      }));
      for (const variable of template.variables) expect(provided).toContain(variable.name);
    });
  });

  it('needs recipients before the team templates can be activated, not the customer ones', () => {
    const problems = (key: string) => activationProblems(normalizeDefinition(findTemplate(key)!, {}, { locale: 'en-US' }));
    expect(problems('payment-due-reminder')).toEqual([]);
    expect(problems('unsent-invoice-reminder')).toEqual(['actions[0] (email): no recipient; set to.userIds or to.emails']);
    expect(problems('invoice-approval')).toEqual(['actions[0] (approval): step 1 has no approver; set approverIds or groupIds']);
    expect(problems('bill-approval')).toEqual(['actions[0] (approval): step 1 has no approver; set approverIds or groupIds']);
  });
});

describe(catalogueLocale.name, () => {
  it('maps French locales to fr-CA and others to en-US', () => {
    expect(catalogueLocale('fr-CA')).toBe('fr-CA');
    expect(catalogueLocale('fr-FR')).toBe('fr-CA');
    expect(catalogueLocale('en-GB')).toBe('en-US');
  });
});
