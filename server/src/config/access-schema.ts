import { z } from 'zod';
import { positiveInt, section } from './env-fallback';

/**
 * Who may reach MCP at all, beside their credentials: the admin users (by id, which an email change cannot escape)
 * whose MCP access is switched off, whatever credential they present. Set from Settings → MCP Server → Access.
 */
export const accessSchema = section(
  z.strictObject({
    disabledUsers: z.array(positiveInt).default([]),
  }),
);
