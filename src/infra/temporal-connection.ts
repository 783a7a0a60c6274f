import { Connection, type ConnectionOptions } from '@temporalio/client';
import type { Metadata } from '@temporalio/client';

/**
 * The Temporal client connection of every Relance process, for one namespace.
 *
 * The SDK carries a call's deadline, metadata and abort signal in an AsyncLocalStorage, whose first `run()` turns on
 * Node 20's async hook for every promise of the process (measured in bench/README.md). Here the namespace header is
 * static metadata of the connection, so the SDK's per-call wrapper is skipped, and the storage is disabled again
 * whenever no scoped call (a deadline, an abort signal, other metadata) is in flight. Scoped calls behave exactly as
 * with the SDK's Connection. It relies on SDK internals: the integration test pins the SDK version it was checked on.
 */
export class RelanceConnection extends Connection {
  private scopedCalls = 0;

  /** Connects on first use (the API boots while Temporal is down). */
  static lazyTo(namespace: string, options: ConnectionOptions): RelanceConnection {
    return this.lazy(withNamespaceHeader(namespace, options)) as RelanceConnection;
  }

  static async connectTo(namespace: string, options: ConnectionOptions): Promise<RelanceConnection> {
    return (await this.connect(withNamespaceHeader(namespace, options))) as RelanceConnection;
  }

  override async withMetadata<R>(metadata: Metadata, fn: () => Promise<R>): Promise<R> {
    const current = { ...this.options.metadata, ...this.callContextStorage.getStore()?.metadata };
    if (Object.entries(metadata).every(([k, v]) => current[k] === v)) return await fn();
    return await this.scoped(() => super.withMetadata(metadata, fn));
  }

  override async withDeadline<R>(deadline: number | Date, fn: () => Promise<R>): Promise<R> {
    return await this.scoped(() => super.withDeadline(deadline, fn));
  }

  override async withAbortSignal<R>(abortSignal: AbortSignal, fn: () => Promise<R>): Promise<R> {
    return await this.scoped(() => super.withAbortSignal(abortSignal, fn));
  }

  private async scoped<R>(fn: () => Promise<R>): Promise<R> {
    this.scopedCalls += 1;
    try {
      return await fn();
    } finally {
      this.scopedCalls -= 1;
      if (this.scopedCalls === 0) this.callContextStorage.disable();
    }
  }
}

function withNamespaceHeader(namespace: string, options: ConnectionOptions): ConnectionOptions {
  return { ...options, metadata: { ...options.metadata, 'temporal-namespace': namespace } };
}
