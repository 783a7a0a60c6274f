import { DefaultFailureConverter } from '@temporalio/common';

/**
 * A failure's message and stack trace go into its `encodedAttributes` payload (the message left in clear reads "Encoded
 * failure"), which the payload codec then encrypts. Loaded by path: by clients and workers that encrypt, and bundled
 * into the workflow code of the encrypting workers (dist/workflow-bundle*-encrypted.js), as workflow failures are made there.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
