import pkg from '../package.json';

/** pipeform's own version (semver), from package.json. */
export const VERSION: string = pkg.version;
