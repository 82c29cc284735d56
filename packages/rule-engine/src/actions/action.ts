import type { Logger } from '@watershed/common';
import type { MessageContext, Row } from '@watershed/rule-sql';
import type { TSchema } from 'typebox';
import type { MessageSource } from '../source.js';

/** Where a `sink` action hands its rows; filled by the data-integration packages (`packages/sinks`). */
export interface SinkRegistry {
  /** The sink with this id, or undefined when none is configured (the action then fails its rows). */
  get(id: string): { write(rows: readonly Row[]): Promise<void> } | undefined;
}

/** What an action may use; given once when the action is created. */
export interface ActionDeps {
  readonly source: MessageSource;
  readonly logger: Logger;
  readonly sinks: SinkRegistry;
  readonly ruleId: string;
}

/** One output of a rule. `run` gets the rows of one message (or one window emit) and its input. */
export interface Action {
  /**
   * Handles rows. The same row objects go to every action of the rule: never modify them.
   * Throwing or rejecting counts the rows as failed for this action only; the
   * other actions of the rule still run.
   */
  run(rows: readonly Row[], input: MessageContext | undefined): void | Promise<void>;
}

/**
 * An action type describes itself (STYLE: modules register with a schema): `configSchema`
 * validates the rule's action config and feeds the console's forms.
 */
export interface ActionType<C = unknown> {
  readonly type: string;
  readonly description: string;
  readonly configSchema: TSchema;
  create(config: C, deps: ActionDeps): Action;
}

/** An action as stored in a rule: its type plus the type's own config fields. */
export interface ActionConfig {
  readonly type: string;
  readonly [key: string]: unknown;
}
