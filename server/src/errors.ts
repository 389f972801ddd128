/**
 * Errors a tool call may end with. Their messages are written for the model and are safe to show: no stack, no
 * secret, no hidden field. Anything else thrown during a call is reported as an internal error with a reference.
 */

/**
 * `denied`: the policy refused the call; `invalid`: the call itself is malformed or names something that does not
 * exist; `failed`: Strapi rejected the operation (validation, conflict).
 */
export class McpToolError extends Error {
  constructor(
    message: string,
    readonly details?: Record<string, unknown>,
    readonly kind: 'denied' | 'invalid' | 'failed' = 'invalid',
  ) {
    super(message);
    this.name = 'McpToolError';
  }
}

/** A policy refusal: what was refused and, in `details`, what is allowed. */
export class PolicyRefusal extends McpToolError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, details, 'denied');
    this.name = 'PolicyRefusal';
  }
}

const MAX_ECHO_LENGTH = 80;

/**
 * Caller input quoted back in a message: control characters replaced, cut to a bounded length, so that a refusal can
 * neither grow with the input nor forge a line in a log or an audit row.
 */
export const echo = (value: unknown, maxLength = MAX_ECHO_LENGTH): string => {
  const text = (typeof value === 'string' ? value : String(value)).toWellFormed();
  // eslint-disable-next-line no-control-regex -- the point is to find control characters
  const printable = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '\uFFFD');
  return printable.length > maxLength
    ? `${printable.slice(0, maxLength).toWellFormed()}… (${text.length} characters)`
    : printable;
};
