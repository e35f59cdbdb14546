/** A GraphQL client over real HTTP, as the web app or a platform integration would use it. */
export interface GqlError {
  message: string;
  extensions?: { code?: string; field?: string; [k: string]: unknown };
}

export class GqlResponseError extends Error {
  constructor(readonly errors: GqlError[]) {
    super(errors.map((e) => `${e.extensions?.code}: ${e.message}`).join("; "));
  }
  get code() {
    return this.errors[0]?.extensions?.code;
  }
}

export class Client {
  token: string | null = null;
  actingRole: string | null = null;
  constructor(readonly baseUrl: string) {}

  async raw<T = any>(query: string, variables?: Record<string, unknown>): Promise<{ data?: T; errors?: GqlError[]; status: number }> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (this.actingRole) headers["x-acting-role"] = this.actingRole;
    const res = await fetch(this.baseUrl + "/graphql", { method: "POST", headers, body: JSON.stringify({ query, variables }) });
    const body = (await res.json()) as { data?: T; errors?: GqlError[] };
    return { ...body, status: res.status };
  }

  /** Runs an operation; throws GqlResponseError when the server answers with errors. */
  async gql<T = any>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const r = await this.raw<T>(query, variables);
    if (r.errors?.length) throw new GqlResponseError(r.errors);
    return r.data as T;
  }

  /** The error code an operation is refused with (fails the test if it succeeds). */
  async errorCode(query: string, variables?: Record<string, unknown>): Promise<string | undefined> {
    const r = await this.raw(query, variables);
    if (!r.errors?.length) throw new Error(`expected an error, got ${JSON.stringify(r.data)}`);
    return r.errors[0]!.extensions?.code;
  }

  async login(account: string, password = "Demo@2023"): Promise<this> {
    const d = await this.gql<{ login: { token: string; me: { roles: { id: string; role: string }[] } } }>(
      `mutation($a: String!, $p: String!) { login(account: $a, password: $p) { token me { roles { id role } } } }`,
      { a: account, p: password },
    );
    this.token = d.login.token;
    return this;
  }

  /** Act in the user's role `role` (by header, as a second browser tab would). */
  async as(role: string): Promise<this> {
    const me = await this.gql<{ me: { roles: { id: string; role: string }[] } }>(`{ me { roles { id role } } }`);
    const r = me.me.roles.find((x) => x.role === role);
    if (!r) throw new Error(`user has no role ${role}`);
    this.actingRole = r.id;
    return this;
  }
}

export async function loginAs(baseUrl: string, account: string, password?: string): Promise<Client> {
  return new Client(baseUrl).login(account, password);
}
