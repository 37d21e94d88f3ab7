import {
  BinaryOperationNode,
  LimitNode,
  OperatorNode,
  SelectQueryNode,
  ValueNode,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';

const isPlusZero = (node: LimitNode) =>
  BinaryOperationNode.is(node.limit) && ValueNode.is(node.limit.rightOperand) && node.limit.rightOperand.immediate === true;

/**
 * SQLite (3.4x) hands a bare `LIMIT ?` to its query planner: the statement is marked to be
 * prepared again whenever that parameter is bound, i.e. at every run — about 40 µs, as much as
 * the rest of a 20-message page query. `LIMIT ? + 0` is the same limit, and is not. Every
 * select's limit goes through here on SQLite, so a statement prepared once stays prepared.
 *
 * Only the root node is looked at: Kysely hands each subquery to its plugins when it is embedded.
 */
export class SqliteLimitPlugin implements KyselyPlugin {
  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    if (!SelectQueryNode.is(node) || !node.limit || isPlusZero(node.limit)) return node;
    const limit = LimitNode.create(
      BinaryOperationNode.create(node.limit.limit, OperatorNode.create('+'), ValueNode.createImmediate(0)),
    );
    return Object.freeze({ ...node, limit });
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
