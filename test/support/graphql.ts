import { schema as published } from '@octokit/graphql-schema';
import { buildSchema, coerceInputValue, Kind, parse, typeFromAST, validate, type GraphQLError, type GraphQLInputType, type GraphQLSchema } from 'graphql';

/**
 * Checks GraphQL requests against GitHub's public schema (@octokit/graphql-schema, the SDL GitHub publishes): the
 * document must parse and validate (a field, argument, type or fragment GitHub does not have fails), and every
 * variable's value must coerce to its declared type (an input object with a misspelt field fails too).
 */
let schema: GraphQLSchema | undefined;

function githubSchema(): GraphQLSchema {
  schema ??= buildSchema(published.idl, { assumeValidSDL: true });
  return schema;
}

export function checkGraphqlRequest(body: unknown): string[] {
  const { query, variables = {} } = (body ?? {}) as { query?: unknown; variables?: Record<string, unknown> };
  if (typeof query !== 'string') return ['GraphQL request without a query'];
  let document;
  try {
    document = parse(query);
  } catch (error) {
    return [`GraphQL syntax: ${error instanceof Error ? error.message : String(error)}`];
  }
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  const name = operation?.name?.value ?? '(anonymous)';
  const errors = validate(githubSchema(), document).map((e) => `${name}: ${e.message}`);
  for (const definition of operation?.variableDefinitions ?? []) {
    const type = typeFromAST(githubSchema(), definition.type) as GraphQLInputType | undefined;
    const variable = definition.variable.name.value;
    if (!type) continue; // validate() has reported the unknown type
    coerceInputValue(variables[variable], type, (path, _value, error: GraphQLError) => {
      errors.push(`${name}: $${[variable, ...path].join('.')}: ${error.message}`);
    });
  }
  return errors;
}
