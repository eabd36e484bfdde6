// The shared PostgreSQL cannot be stopped (other suites use it), so a server
// under test reaches it through this TCP proxy, which a spec closes ("the
// database goes away") and reopens.
import net from 'node:net';

export class DbProxy {
  private server?: net.Server;
  private sockets = new Set<net.Socket>();
  constructor(
    readonly port: number,
    private readonly target = { host: '127.0.0.1', port: 5432 },
  ) {}
  open(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    return new Promise((ok) => this.server!.listen(this.port, '127.0.0.1', ok));
  }
  /** The database "goes away": no new connections, and every open one is cut. */
  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((ok) => (this.server?.listening ? this.server.close(() => ok()) : ok()));
  }
  /** A database URL for `database` on the e2e PostgreSQL, through this proxy. */
  url(database: string): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${database}`;
  }
}
