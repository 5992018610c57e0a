import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError } from '../errors/index.js';
import { DEFAULT_TIER, OPEN_TENANT } from '../spec/routing.js';
import { apiKeyFrom } from './request-headers.js';

export interface Identity {
  keyId: string;
  tenant: string;
  tier: string;
  tags: Readonly<Record<string, string>>;
}

export interface AuthConfig {
  enabled: boolean;
  /** sha256 hex → identity */
  keys: ReadonlyMap<string, Identity>;
  adminKeyHashes: ReadonlySet<string>;
}

/** With no keys configured the gateway is open (and bound to loopback): every caller is this tenant. */
export const ANONYMOUS: Identity = Object.freeze({ keyId: 'anonymous', tenant: OPEN_TENANT, tier: DEFAULT_TIER, tags: Object.freeze({}) });

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** Keys are stored hashed; a lookup by hash never compares secrets byte by byte. */
export const authenticate = (auth: AuthConfig, headers: IncomingHttpHeaders): Identity => {
  if (!auth.enabled) return ANONYMOUS;
  const key = apiKeyFrom(headers);
  if (key === undefined) throw new GatewayError('invalid_api_key', 'missing API key: send `Authorization: Bearer <key>`');
  const identity = auth.keys.get(sha256(key));
  if (!identity) throw new GatewayError('invalid_api_key', 'invalid API key');
  return identity;
};

export const authenticateAdmin = (auth: AuthConfig, headers: IncomingHttpHeaders): void => {
  if (!auth.enabled) return;
  const key = apiKeyFrom(headers);
  if (key === undefined) throw new GatewayError('invalid_api_key', 'missing admin key: send `Authorization: Bearer <admin key>`');
  const hash = Buffer.from(sha256(key), 'hex');
  for (const h of auth.adminKeyHashes) if (timingSafeEqual(hash, Buffer.from(h, 'hex'))) return;
  if (auth.keys.has(hash.toString('hex'))) throw new GatewayError('forbidden', 'this endpoint needs the admin key');
  throw new GatewayError('invalid_api_key', 'invalid admin key');
};
