// The client types generated from openapi.json live with the console, their first user; tests type their calls with them too.
export type * from '../../console/src/api/schema';
