/**
 * Everything the CLI calls in the construct layer (cdktf, the provider, src/constructs,
 * src/synth, src/release), in one module: `scripts/bundle.mjs` bundles the compiled form of
 * this file into `dist/bundle/synth.js`, which is what the CLI's synth path loads
 * (src/synth/layer.ts). Nothing else imports this file.
 */
export { synthesizeTargets } from './targets';
export { synthesizeModule } from './module';
export { synthesize } from './synth';
export { environmentModule, SHARED_MODULE_DIR } from './environment-roots';
export { planRelease, latestRelease, MANIFEST_FILE, ReleaseError } from '../release/release';
