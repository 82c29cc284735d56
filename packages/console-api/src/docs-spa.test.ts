import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMetricsRegistry } from '@watershed/common';
import { Point, Sample } from '@watershed/model';
import { openEmbeddedStore, type Store } from '@watershed/store';
import { buildConsoleApi } from './app.js';

interface OpenApiDoc {
  openapi: string;
  info: { version: string };
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>
  >;
}

describe('OpenAPI document and SPA hosting', () => {
  let dir: string;
  let store: Store;
  let app: FastifyInstance;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ws-api-web-'));
    const web = join(dir, 'web');
    mkdirSync(join(web, 'assets'), { recursive: true });
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>Watershed</title>');
    writeFileSync(join(web, 'assets', 'app-1234.js'), 'console.log(1)');
    store = await openEmbeddedStore({ dir: join(dir, 'data') });
    app = await buildConsoleApi({
      store,
      live: { subscribe: () => () => undefined },
      metrics: createMetricsRegistry(),
      webRoot: web,
      version: '0.3.0',
    });
  });

  afterEach(async () => {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('documents every route with response schemas taken from the model', async () => {
    const res = await app.inject('/docs/json');
    expect(res.statusCode).toBe(200);
    const doc = res.json<OpenApiDoc>();
    expect(doc.info.version).toBe('0.3.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/v1/api-keys',
      '/api/v1/api-keys/{id}',
      '/api/v1/audit',
      '/api/v1/audit/export',
      '/api/v1/auth/login',
      '/api/v1/auth/logout',
      '/api/v1/auth/me',
      '/api/v1/auth/oidc',
      '/api/v1/auth/oidc/callback',
      '/api/v1/auth/oidc/login',
      '/api/v1/auth/password',
      '/api/v1/live',
      '/api/v1/points',
      '/api/v1/points/{id}',
      '/api/v1/points/{id}/export',
      '/api/v1/points/{id}/latest',
      '/api/v1/points/{id}/series',
      '/api/v1/points/{id}/trend',
      '/api/v1/users',
      '/api/v1/users/{id}',
      '/api/v1/users/{id}/password',
      '/healthz',
      '/metrics',
    ]);
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const op of Object.values(methods)) {
        expect(Object.keys(op.responses), path).toContain('200');
      }
    }
    const point = doc.paths['/api/v1/points/{id}']?.['get']?.responses['200']?.content?.['application/json']
      ?.schema as {
      properties: Record<string, unknown>;
    };
    expect(Object.keys(point.properties).sort()).toEqual(Object.keys(Point.properties).sort());
    const series = doc.paths['/api/v1/points/{id}/series']?.['get']?.responses['200']?.content?.[
      'application/json'
    ]?.schema as { properties: { samples: { items: { properties: Record<string, unknown> } } } };
    expect(Object.keys(series.properties.samples.items.properties).sort()).toEqual(
      Object.keys(Sample.properties).sort(),
    );
    const ui = await app.inject('/docs/');
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toMatch(/text\/html/);
  });

  it('serves the SPA files, index.html for client routes, and JSON 404s elsewhere', async () => {
    const index = await app.inject('/');
    expect(index.statusCode).toBe(200);
    expect(index.body).toContain('<title>Watershed</title>');
    const asset = await app.inject('/assets/app-1234.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
    const clientRoute = await app.inject({ url: '/points/north.plant1.fast.flow', headers: html });
    expect(clientRoute.statusCode).toBe(200);
    expect(clientRoute.body).toContain('<title>Watershed</title>');
    const api = await app.inject({ url: '/api/v1/nope', headers: html });
    expect(api.statusCode).toBe(404);
    expect(api.json<{ code: string }>().code).toBe('WS_ERR_NOT_FOUND');
    const asset404 = await app.inject({ url: '/assets/missing.js', headers: { accept: '*/*' } });
    expect(asset404.statusCode).toBe(404);
    const post = await app.inject({ method: 'POST', url: '/points/x', headers: html });
    expect(post.statusCode).toBe(404);
  });
});
