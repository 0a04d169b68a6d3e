import { metaErrors, type ScriptedAnswer } from '../../fakes/fake-meta-graph-server.js';
import type { ContractFault } from '../platform.contract.js';

/**
 * Meta's answer for each Platform contract fault, scripted on FakeMetaGraphServer's publish call
 * (Threads and Instagram): 429 with Retry-After, an expired token as Meta sends it (400, code
 * 190, subcode 463), a 500 with code 2, a dropped connection, a publish whose answer is lost.
 */
export function metaFault(fault: ContractFault): ScriptedAnswer {
  switch (fault.kind) {
    case 'rate_limited':
      return metaErrors.tooManyRequests(fault.retryAfterSeconds);
    case 'auth':
      return metaErrors.expiredToken();
    case 'server_error':
      return metaErrors.serverError();
    case 'drop':
      return metaErrors.dropConnection();
    case 'lose_answer':
      return metaErrors.lostAnswer();
  }
}
