import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../config.ts';
import type { ServiceContext } from '../services/shared/context.ts';

export type WebDeps = { ctx: ServiceContext; config: Config };

/** The server-rendered pages (NHS.UK design system). */
export const webPlugin: FastifyPluginAsync<WebDeps> = async () => {};
