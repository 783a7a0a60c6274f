'use strict';
// Provisioning output: one short line per step, and one clear line when something is missing.
class ProvisionError extends Error {}

function step(message) {
  process.stdout.write(`[relance] ${message}\n`);
}

function fail(message) {
  throw new ProvisionError(message);
}

module.exports = { ProvisionError, step, fail };
