import { useT } from '../i18n/i18n-context.js';
import { caretOf, problemText, type RuleProblem } from './rule-logic.js';

/** Problems under the field they are about, with the offending line and a caret when positioned. */
export function ProblemList({ problems, text }: { problems: readonly RuleProblem[]; text?: string }) {
  const t = useT();
  if (problems.length === 0) return null;
  return (
    <ul className="rule-problems" role="alert">
      {problems.map((p, i) => {
        const caret = text !== undefined ? caretOf(text, p) : undefined;
        return (
          <li key={i}>
            {problemText(p, t)}
            {caret ? (
              <pre className="caret">
                {caret.source}
                {'\n'}
                {caret.caret}
              </pre>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
