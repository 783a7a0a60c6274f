import { Connection, type ConnectionOptions } from '@temporalio/client';
import type { Metadata, TLSConfig } from '@temporalio/client';
import type { Config } from '../config';

export type TemporalAccess = Pick<Config, 'temporalAddress'> & Partial<Pick<Config, 'temporalTls' | 'temporalApiKey'>>;

/**
 * What every client and worker connection of Relance is given (the SDK's Connection and the worker's NativeConnection
 * take the same three options): the address, TLS (mTLS with a client certificate) and Temporal Cloud's API key, which
 * implies TLS. Whoever reaches Temporal is an operator of every run: a production Temporal asks for one of them.
 */
export function temporalConnectionOptions(config: TemporalAccess): { address: string; tls?: TLSConfig | true; apiKey?: string } {
  const t = config.temporalTls;
  const tls: TLSConfig | true | undefined = t
    ? {
      ...(t.serverName && { serverNameOverride: t.serverName }),
      ...(t.serverRootCa && { serverRootCACertificate: t.serverRootCa }),
      ...(t.clientCertPair && { clientCertPair: t.clientCertPair }),
    }
    : config.temporalApiKey ? true : undefined;
  return { address: config.temporalAddress, ...(tls && { tls }), ...(config.temporalApiKey && { apiKey: config.temporalApiKey }) };
}

/** For error lines: where and how a process tried to reach Temporal (never the key itself). */
export function describeTemporalAccess(config: TemporalAccess): string {
  const t = config.temporalTls;
  const how = [
    t || config.temporalApiKey ? 'TLS' : 'plain gRPC, no TLS',
    t?.clientCertPair ? 'a client certificate' : t ? 'no client certificate' : '',
    t?.serverRootCa ? 'the CA of TEMPORAL_TLS_CA' : '',
    t?.serverName ? `server name ${t.serverName}` : '',
    config.temporalApiKey ? 'an API key' : '',
  ].filter(Boolean).join(', ');
  return `${config.temporalAddress} (${how})`;
}

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
