import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GatewayError } from '../errors/index.js';
import { apiKeyFrom, parseEnvelope, parseTags, requestIdFrom } from './request-headers.js';

test('tags header parses key=value pairs', () => {
  assert.deepEqual(parseTags({ 'x-switchyard-tags': 'product=search, feature=summary' }), { product: 'search', feature: 'summary' });
  assert.deepEqual(parseTags({}), {});
});

test('bad tags are a 400 naming the header', () => {
  for (const bad of ['product', 'a=b=c', 'x=<script>', `k=${'v'.repeat(65)}`]) {
    assert.throws(() => parseTags({ 'x-switchyard-tags': bad }), (e: GatewayError) => e.status === 400 && e.param === 'x-switchyard-tags', bad);
  }
});

test('envelope headers are validated and converted to micro-USD', () => {
  assert.deepEqual(parseEnvelope({ 'x-switchyard-quality-floor': '0.8', 'x-switchyard-latency-slo-ms': '1500', 'x-switchyard-max-cost-usd': '0.002' }), {
    qualityFloor: 0.8, latencySloMs: 1500, maxCostMicroUsd: 2000,
  });
  assert.throws(() => parseEnvelope({ 'x-switchyard-quality-floor': '1.5' }), (e: GatewayError) => e.param === 'x-switchyard-quality-floor');
  assert.throws(() => parseEnvelope({ 'x-switchyard-max-cost-usd': 'lots' }), (e: GatewayError) => e.param === 'x-switchyard-max-cost-usd');
  // Only plain decimals: Number() alone would read these as 1, 1, Infinity.
  for (const raw of ['0x1', '0b1', '1e400', '-0.5', '']) {
    if (raw === '') assert.deepEqual(parseEnvelope({ 'x-switchyard-quality-floor': raw }), {});
    else assert.throws(() => parseEnvelope({ 'x-switchyard-quality-floor': raw }), (e: GatewayError) => e.param === 'x-switchyard-quality-floor', raw);
  }
  assert.deepEqual(parseEnvelope({ 'x-switchyard-quality-floor': ' .5 ', 'x-switchyard-max-cost-usd': '2e-3' }), { qualityFloor: 0.5, maxCostMicroUsd: 2000 });
});

test('API keys come from Bearer or x-api-key; request ids are sanitised', () => {
  assert.equal(apiKeyFrom({ authorization: 'Bearer sk-1' }), 'sk-1');
  assert.equal(apiKeyFrom({ 'x-api-key': 'sk-2' }), 'sk-2');
  assert.equal(apiKeyFrom({}), undefined);
  assert.equal(requestIdFrom({ 'x-request-id': 'abc-123' }, () => 'fresh'), 'abc-123');
  assert.equal(requestIdFrom({ 'x-request-id': 'bad id\n' }, () => 'fresh'), 'fresh');
});
