import { describe, expect, it } from 'vitest';
import { createLogger, forPost, subsystem } from './logger.js';

/** A logger writing JSON lines to memory, and the lines it wrote. */
function memoryLogger(level = 'info') {
  const lines: string[] = [];
  const log = createLogger(level, { write: (line: string) => void lines.push(line) });
  const records = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { log, lines, records };
}

const secrets = {
  password: 'pw-top-level-1',
  appPassword: 'abcd-efgh-ijkl-mnop',
  accessJwt: 'eyJhbGciOi.access.jwt',
  refreshJwt: 'eyJhbGciOi.refresh.jwt',
  token: 'hyn_toplevelsecret',
  nestedToken: 'hyn_nestedsecret',
  credentialJson: 'stored-credential-json',
  bearer: 'Bearer hyn_headersecret',
  reqBearer: 'Bearer hyn_reqsecret',
};

describe('createLogger', () => {
  it('writes JSON with its name, level and the fields given', () => {
    const { log, records } = memoryLogger();
    log.info({ deliveryId: 'dlv_1', platform: 'bluesky' }, 'delivery published');
    expect(records()).toEqual([
      expect.objectContaining({
        name: 'hayon',
        level: 30,
        deliveryId: 'dlv_1',
        platform: 'bluesky',
        msg: 'delivery published',
      }),
    ]);
  });

  it('redacts passwords, tokens, session JWTs, credentials and authorization headers', () => {
    const { log, lines, records } = memoryLogger();
    log.info(
      {
        password: secrets.password,
        appPassword: secrets.appPassword,
        accessJwt: secrets.accessJwt,
        token: secrets.token,
        credentials: { identifier: 'me.bsky.social', credentialJson: secrets.credentialJson },
        session: { refreshJwt: secrets.refreshJwt },
        account: { id: 'acc_1', token: secrets.nestedToken },
        headers: { authorization: secrets.bearer, 'content-type': 'application/json' },
        req: { method: 'POST', headers: { authorization: secrets.reqBearer } },
      },
      'login',
    );
    const out = lines.join('');
    for (const value of Object.values(secrets)) expect(out).not.toContain(value);
    const [r] = records();
    expect(r).toMatchObject({
      password: '[redacted]',
      appPassword: '[redacted]',
      accessJwt: '[redacted]',
      token: '[redacted]',
      credentials: '[redacted]',
      session: { refreshJwt: '[redacted]' },
      account: { id: 'acc_1', token: '[redacted]' },
      headers: { authorization: '[redacted]', 'content-type': 'application/json' },
      req: { method: 'POST', headers: { authorization: '[redacted]' } },
    });
  });

  it('redacts in child loggers too', () => {
    const { log, lines, records } = memoryLogger();
    subsystem(log, 'platform:bluesky').warn({ appPassword: secrets.appPassword }, 'login refused');
    expect(lines.join('')).not.toContain(secrets.appPassword);
    expect(records()[0]).toMatchObject({ name: 'hayon', component: 'platform:bluesky', appPassword: '[redacted]' });
  });

  it("writes each key once on a line (a subsystem's post logger)", () => {
    const { log, lines } = memoryLogger();
    forPost(subsystem(log, 'worker'), { id: 'pst_1', correlationId: 'cor_1' }).info('published');
    const keys = [...lines.join('').matchAll(/"([a-zA-Z]+)":/g)].map((m) => m[1]);
    expect(keys.sort()).toEqual(['component', 'correlationId', 'level', 'msg', 'name', 'postId', 'time']);
  });

  it("logs an error's type, code and message but not its cause", () => {
    const { log, lines, records } = memoryLogger();
    const err = Object.assign(new Error('upload failed', { cause: { password: secrets.password } }), {
      code: 'platform_error',
    });
    log.error({ err }, 'delivery failed');
    expect(records()[0]).toMatchObject({ err: { type: 'Error', message: 'upload failed', code: 'platform_error' } });
    expect(lines.join('')).not.toContain(secrets.password);
  });

  it("takes a URL's user and password out of an error's message and stack", () => {
    const { log, lines, records } = memoryLogger();
    const err = new Error(`could not connect to mongodb://hayon:${secrets.password}@db.internal:27017/hayon`);
    log.warn({ err }, 'store away');
    expect(records()[0]).toMatchObject({
      err: { message: 'could not connect to mongodb://db.internal:27017/hayon' },
    });
    expect(lines.join('')).not.toContain(secrets.password);
  });

  it('writes nothing below its level', () => {
    const { log, lines } = memoryLogger('warn');
    log.info({ a: 1 }, 'quiet');
    log.warn({ a: 2 }, 'loud');
    expect(lines).toHaveLength(1);
    const silent = memoryLogger('silent');
    silent.log.fatal({ a: 3 }, 'even this');
    expect(silent.lines).toHaveLength(0);
  });

  it('redacts a token two levels down', () => {
    const { log, lines } = memoryLogger();
    log.info({ delivery: { account: { token: secrets.nestedToken } } }, 'publishing');
    expect(lines.join('')).not.toContain(secrets.nestedToken);
  });
});
