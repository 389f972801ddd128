import { Badge } from '@strapi/design-system';
import { useTranslate } from '../translations';

const VARIANTS = {
  allowed: 'success',
  denied: 'warning',
  error: 'danger',
  'dry-run': 'secondary',
} as const;

/** The label of a decision: allowed, denied (a refusal), error or dry run. */
export const useDecisionLabel = () => {
  const t = useTranslate();
  return (decision: string): string =>
    ({
      allowed: t('decision.allowed', 'Allowed'),
      denied: t('decision.denied', 'Denied'),
      error: t('decision.error', 'Error'),
      'dry-run': t('decision.dryRun', 'Dry run'),
    })[decision] ?? decision;
};

export const DecisionBadge = ({ decision }: { decision: string }) => {
  const decisionLabel = useDecisionLabel();
  return <Badge variant={VARIANTS[decision as keyof typeof VARIANTS] ?? 'neutral'}>{decisionLabel(decision)}</Badge>;
};
