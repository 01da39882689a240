/** dynalite ships no types: the part the tests use. */
declare module 'dynalite' {
  import { Server } from 'node:http';

  function dynalite(options?: {
    createTableMs?: number;
    path?: string;
  }): Server;
  export = dynalite;
}
