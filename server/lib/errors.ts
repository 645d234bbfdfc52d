// Typed domain errors. One error handler maps them to HTTP; only these (4xx) messages reach the user.
export type ErrorCode = string;

export class AppError extends Error {
  constructor(
    public readonly statusCode: number,
    public readonly code: ErrorCode,
    message: string,
    public readonly field?: string,
  ) {
    super(message);
  }
}

/** Unknown or not-yours: always 404, so ids cannot be probed. */
export class NotFound extends AppError {
  constructor(message = '找不到该内容', code = 'NOT_FOUND') {
    super(404, code, message);
  }
}

/** An action the current state forbids. The message names the current state. */
export class Conflict extends AppError {
  constructor(message: string, code = 'CONFLICT') {
    super(409, code, message);
  }
}

export class Forbidden extends AppError {
  constructor(message = '没有权限执行此操作', code = 'FORBIDDEN') {
    super(403, code, message);
  }
}

export class Unauthorized extends AppError {
  constructor(message = '请先登录', code = 'UNAUTHENTICATED') {
    super(401, code, message);
  }
}

/** Bad input. `errors` holds every field problem so a form can show each beside its field. */
export class Invalid extends AppError {
  constructor(
    public readonly errors: Record<string, string>,
    code = 'INVALID',
  ) {
    const [field, message] = Object.entries(errors)[0] ?? ['', '输入有误'];
    super(400, code, message, field || undefined);
  }
}

export class TooLarge extends AppError {
  constructor(message: string, field?: string, code = 'TOO_LARGE') {
    super(413, code, message, field);
  }
}

/** Overload: the request is refused before any work, and the client is told when to come back (Retry-After). */
export class Busy extends AppError {
  constructor(
    message: string,
    public readonly retryAfterSeconds: number,
    field?: string,
    code = 'BUSY',
  ) {
    super(503, code, message, field);
  }
}

/** Too many tries of one thing (a login's guesses): refused until the time given in Retry-After. */
export class TooMany extends AppError {
  constructor(
    message: string,
    public readonly retryAfterSeconds: number,
    code = 'RATE_LIMITED',
    field?: string,
  ) {
    super(429, code, message, field);
  }
}
