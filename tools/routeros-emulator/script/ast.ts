import type { SourcePosition } from "./errors.ts";
import type { LogTopic, MenuVerb } from "./host.ts";
import type { Value } from "./values.ts";

export type BinaryOperator = "||" | "&&" | "=" | "!=" | "<" | ">" | "<=" | ">=" | "~" | "." | "+" | "-";

export type Expression =
  | { readonly kind: "literal"; readonly value: Value; readonly position: SourcePosition }
  | { readonly kind: "variable"; readonly name: string; readonly position: SourcePosition }
  /** A double-quoted string with `$var`, `$(...)` or `$[...]` inside. */
  | { readonly kind: "interpolation"; readonly parts: readonly Expression[]; readonly position: SourcePosition }
  | { readonly kind: "unary"; readonly operator: "!" | "-"; readonly operand: Expression; readonly position: SourcePosition }
  | {
      readonly kind: "binary";
      readonly operator: BinaryOperator;
      readonly left: Expression;
      readonly right: Expression;
      readonly position: SourcePosition;
    }
  /** `$array->"key"`. */
  | { readonly kind: "member"; readonly target: Expression; readonly key: Expression; readonly position: SourcePosition }
  /** `[ command ]`: the value the command returns. */
  | { readonly kind: "substitution"; readonly command: Command; readonly position: SourcePosition };

export interface Block {
  readonly commands: readonly Command[];
  readonly position: SourcePosition;
}

/** The arguments of `/tool fetch` as written; checked and converted when the command runs. */
export interface FetchArguments {
  readonly url: Expression | undefined;
  readonly httpMethod: Expression | undefined;
  readonly httpHeaderField: Expression | undefined;
  readonly httpData: Expression | undefined;
  readonly output: Expression | undefined;
  readonly checkCertificate: Expression | undefined;
  readonly keepResult: Expression | undefined;
  readonly idleTimeout: Expression | undefined;
  readonly asValue: boolean;
}

type At = { readonly position: SourcePosition };

export type Command = At &
  (
    | { readonly kind: "block"; readonly block: Block }
    | { readonly kind: "local" | "global"; readonly name: string; readonly value: Expression | undefined }
    | { readonly kind: "set"; readonly name: string; readonly value: Expression | undefined }
    | { readonly kind: "if"; readonly condition: Expression; readonly then: Block; readonly otherwise: Block | undefined }
    | { readonly kind: "do"; readonly body: Block; readonly onError: Block | undefined }
    | { readonly kind: "while"; readonly condition: Expression; readonly body: Block }
    | {
        readonly kind: "for";
        readonly variable: string;
        readonly from: Expression;
        readonly to: Expression;
        readonly step: Expression | undefined;
        readonly body: Block;
      }
    | { readonly kind: "log"; readonly topic: LogTopic; readonly message: Expression }
    | { readonly kind: "put" | "tostr" | "tonum" | "len" | "typeof" | "error"; readonly value: Expression }
    | { readonly kind: "pick"; readonly text: Expression; readonly start: Expression; readonly end: Expression | undefined }
    | { readonly kind: "find"; readonly text: Expression; readonly needle: Expression; readonly start: Expression | undefined }
    | { readonly kind: "fetch"; readonly arguments: FetchArguments }
    | { readonly kind: "foreach"; readonly variable: string; readonly items: Expression; readonly body: Block }
    | {
        readonly kind: "menu";
        /** Without the leading slash, segments joined by "/": `ip/hotspot/user`. */
        readonly path: string;
        readonly verb: MenuVerb;
        readonly positional: readonly Expression[];
        readonly named: readonly (readonly [string, Expression])[];
      }
  );
