// The arrows that must never exist in src/ (issue #17, DESIGN.md "Source layout"), checked by
// `npm run lint`. Dependencies point inward: ingress (http, bots, cli) → services → core;
// adapters → core; wiring (app, roles) may see everything.
const ingress = '^src/(http|bots|cli)/';
const wiring = '^src/(app|roles)/';
const adapters = '^src/(store|queue|media|platforms|connect|net|crypto|notify|observability)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment: 'src/core is the domain: it imports nothing in src outside src/core.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'platforms-see-no-store-services-or-ingress',
      comment: 'A platform adapter knows core and its client library, never the store, services, ingress or wiring.',
      severity: 'error',
      from: { path: '^src/platforms/' },
      to: { path: '^src/(store|services|http|bots|cli|app|roles)/' },
    },
    {
      name: 'store-not-queue',
      comment: 'The store and the queue are separate adapters: the store never imports the queue.',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: '^src/queue/' },
    },
    {
      name: 'queue-not-store',
      comment: 'The store and the queue are separate adapters: the queue never imports the store.',
      severity: 'error',
      from: { path: '^src/queue/' },
      to: { path: '^src/store/' },
    },
    {
      name: 'adapters-not-ingress-or-wiring',
      comment: 'An adapter is called by services and wired by app/roles; it never imports ingress or wiring.',
      severity: 'error',
      from: { path: adapters },
      to: { path: `${ingress}|${wiring}` },
    },
    {
      name: 'services-not-ingress-or-wiring',
      comment: 'Services are called by ingress and wired by app/roles; they import neither.',
      severity: 'error',
      from: { path: '^src/services/' },
      to: { path: `${ingress}|${wiring}` },
    },
    {
      name: 'ingress-not-store',
      comment: 'http, bots and cli go through services: they never import a Store port or adapter.',
      severity: 'error',
      from: { path: ingress },
      to: { path: '^src/store/' },
    },
    {
      name: 'src-not-test',
      comment: 'Shipped code (src/ outside *.test.ts) never imports test helpers: dist/ holds no test code.',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.test\\.ts$' },
      to: { path: '^test/' },
    },
    {
      name: 'src-not-dev-dependencies',
      comment: 'Shipped code (src/ outside *.test.ts) imports no devDependency: dist/ must run without them.',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['npm-dev'] },
    },
    {
      name: 'no-module-cycle',
      comment: 'No import cycle between modules.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    // TypeScript 7 has no JS API for dependency-cruiser; @swc/core parses the .ts files.
    parser: 'swc',
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|\\.tmp)/' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    moduleSystems: ['es6', 'cjs'],
  },
};
