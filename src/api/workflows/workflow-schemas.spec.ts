import type { OpenAPIObject } from '@nestjs/swagger';
import { WORKFLOW_TEMPLATES } from '../../domain/templates';
import { documentWorkflowUnions, pascalCase } from './workflow-schemas';

type Schema = { properties?: Record<string, Schema>; items?: Schema; oneOf?: { $ref: string }[]; discriminator?: { propertyName: string; mapping: Record<string, string> }; enum?: unknown[]; maxItems?: number };

const schemas = documentWorkflowUnions({ openapi: '3.0.0', info: { title: 't', version: '1' }, paths: {}, components: { schemas: {} } } as OpenAPIObject)
  .components!.schemas as Record<string, Schema>;
const actionSchemas = (name: string) => (schemas[name].properties!.actions.items?.oneOf ?? []).map((r) => r.$ref.split('/').pop());

describe(documentWorkflowUnions.name, () => {
  it('makes the POST body and the answer unions of one schema per template, discriminated by templateKey', () => {
    for (const [union, name] of [['CreateWorkflowDto', (k: string) => `Create${pascalCase(k)}Workflow`], ['Workflow', (k: string) => `${pascalCase(k)}Workflow`]] as const) {
      expect(schemas[union].oneOf).toHaveLength(WORKFLOW_TEMPLATES.length);
      expect(schemas[union].discriminator).toEqual({
        propertyName: 'templateKey', mapping: Object.fromEntries(WORKFLOW_TEMPLATES.map((t) => [t.key, `#/components/schemas/${name(t.key)}`])),
      });
      for (const t of WORKFLOW_TEMPLATES) expect(schemas[name(t.key)].properties!.templateKey.enum).toEqual([t.key]);
    }
    expect(schemas.CreatePaymentDueReminderWorkflow).toBeDefined();
  });

  it('gives steps and catchUp to the collection sequence only, which takes no action', () => {
    const withSteps = Object.keys(schemas).filter((n) => schemas[n].properties?.steps && n.endsWith('Workflow'));
    expect(withSteps.sort()).toEqual(['CollectionSequenceWorkflow', 'CreateCollectionSequenceWorkflow']);
    expect(Object.keys(schemas).filter((n) => schemas[n].properties?.catchUp).sort()).toEqual(['CollectionSequenceWorkflow', 'CreateCollectionSequenceWorkflow']);
    expect(schemas.CreateCollectionSequenceWorkflow.properties!.actions.maxItems).toBe(0);
  });

  it('offers an email to the customer on customer templates only, and the approval action on the approval templates only', () => {
    for (const t of WORKFLOW_TEMPLATES) {
      const actions = actionSchemas(`Create${pascalCase(t.key)}Workflow`);
      if (t.actionTypes.includes('email')) expect(actions).toContain(t.audience === 'customer' ? 'CustomerEmailActionInput' : 'TeamEmailActionInput');
      if (t.audience === 'team') expect(actions).not.toContain('CustomerEmailActionInput');
      expect(actions.includes('ApprovalActionInput')).toBe(t.trigger === 'approval');
      expect(actions).toHaveLength(t.actionTypes.length);
    }
    expect(schemas.TeamEmailActionInput.properties!.to).toEqual({ $ref: '#/components/schemas/EmailRecipients' });
  });

  it('lists each template\'s condition fields and only the operators they take', () => {
    expect(schemas.InvoiceApprovalCondition.properties!.field.enum).toEqual(['amount', 'balance', 'customerId', 'customerGroup', 'locationId', 'dueDate', 'issueDate', 'number', 'createdBy']);
    expect(schemas.PaymentReceivedCondition.properties!.op.enum).toEqual(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'not_in']);
    expect(schemas.CreateBankDepositReminderWorkflow.properties!.conditions.items).toEqual({ $ref: '#/components/schemas/BankDepositReminderCondition' });
  });

  it('takes a schedule on scheduled templates only', () => {
    expect(schemas.CreatePaymentReceivedWorkflow.properties!.schedule).toBeUndefined();
    expect(schemas.CreateInvoiceApprovalWorkflow.properties!.schedule).toBeUndefined();
    expect(schemas.CreatePaymentDueReminderWorkflow.properties!.schedule).toBeDefined();
  });
});
