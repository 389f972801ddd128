import { Box, Flex, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { HourlyBucket } from '../../api';
import { useTranslate } from '../../translations';

const CHART_HEIGHT = 96;

/**
 * One bar per hour of the last 24: its height is the number of calls, the part that went wrong
 * (refusals and errors) is drawn on top in another colour.
 */
export const HourlyChart = ({ hourly }: { hourly: HourlyBucket[] }) => {
  const t = useTranslate();
  const { formatTime } = useIntl();
  const busiest = Math.max(1, ...hourly.map((bucket) => bucket.calls));

  return (
    <Box>
      <Flex
        role="img"
        aria-label={t('chart.label', 'Calls per hour over the last 24 hours')}
        alignItems="flex-end"
        gap={1}
        height={`${CHART_HEIGHT}px`}
        paddingTop={2}
      >
        {hourly.map((bucket) => {
          const failed = Math.min(bucket.calls, bucket.denied + bucket.errors);
          const barHeight = Math.round((bucket.calls / busiest) * CHART_HEIGHT);
          const failedHeight = bucket.calls ? Math.round((failed / bucket.calls) * barHeight) : 0;
          const title = t('chart.bar', '{hour}: {calls} calls, {denied} denied, {errors} errors', {
            hour: formatTime(bucket.hour),
            calls: bucket.calls,
            denied: bucket.denied,
            errors: bucket.errors,
          });
          return (
            <Flex key={bucket.hour} direction="column" flex="1" justifyContent="flex-end" height="100%" title={title}>
              <Box width="100%" height={`${failedHeight}px`} background="danger500" />
              <Box width="100%" height={`${barHeight - failedHeight}px`} background="primary500" />
            </Flex>
          );
        })}
      </Flex>
      <Flex justifyContent="space-between" paddingTop={1}>
        <Typography variant="pi" textColor="neutral500">
          {hourly.length ? formatTime(hourly[0].hour) : ''}
        </Typography>
        <Flex gap={3}>
          <Flex gap={1}>
            <Box width="8px" height="8px" background="primary500" />
            <Typography variant="pi" textColor="neutral600">
              {t('chart.legend.calls', 'Calls')}
            </Typography>
          </Flex>
          <Flex gap={1}>
            <Box width="8px" height="8px" background="danger500" />
            <Typography variant="pi" textColor="neutral600">
              {t('chart.legend.failed', 'Denied or failed')}
            </Typography>
          </Flex>
        </Flex>
        <Typography variant="pi" textColor="neutral500">
          {hourly.length ? formatTime(hourly[hourly.length - 1].hour) : ''}
        </Typography>
      </Flex>
    </Box>
  );
};
