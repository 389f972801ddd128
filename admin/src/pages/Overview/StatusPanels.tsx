import { Badge, Box, Flex, Grid, Typography } from '@strapi/design-system';
import type { Overview } from '../../api';
import { DateTime } from '../../components/DateTime';
import { Section } from '../../components/Section';
import { useTranslate } from '../../translations';
import { HourlyChart } from './HourlyChart';

const Row = ({ label, children }: { label: string; children: React.ReactNode }) => (
  <Flex gap={2} alignItems="baseline" wrap="wrap">
    <Typography variant="omega" fontWeight="semiBold" textColor="neutral700">
      {label}
    </Typography>
    {typeof children === 'string' ? <Typography textColor="neutral800">{children}</Typography> : children}
  </Flex>
);

const Stat = ({ label, value }: { label: string; value: string | number }) => (
  <Box background="neutral100" hasRadius padding={3}>
    <Typography variant="pi" textColor="neutral600" tag="p">
      {label}
    </Typography>
    <Typography variant="beta" tag="p">
      {value}
    </Typography>
  </Box>
);

export const LastDayPanel = ({ last24h }: { last24h: Overview['last24h'] }) => {
  const t = useTranslate();
  const ms = (value: number | null) => (value === null ? '—' : t('unit.ms', '{value} ms', { value }));
  const stats = [
    { label: t('stats.calls', 'Calls'), value: last24h.calls },
    { label: t('stats.allowed', 'Allowed'), value: last24h.allowed },
    { label: t('stats.denied', 'Refusals'), value: last24h.denied },
    { label: t('stats.errors', 'Errors'), value: last24h.errors },
    { label: t('stats.p50', 'p50 duration'), value: ms(last24h.p50Ms) },
    { label: t('stats.p95', 'p95 duration'), value: ms(last24h.p95Ms) },
  ];
  return (
    <Section title={t('stats.title', 'Last 24 hours')}>
      <Grid.Root gap={3} gridCols={6}>
        {stats.map((stat) => (
          <Grid.Item key={stat.label} col={2} s={3} xs={6} direction="column" alignItems="stretch">
            <Stat label={stat.label} value={stat.value} />
          </Grid.Item>
        ))}
      </Grid.Root>
      <HourlyChart hourly={last24h.hourly} />
    </Section>
  );
};

export const CredentialsPanel = ({ overview }: { overview: Overview }) => {
  const t = useTranslate();
  const { jwt, adminTokens, oauth } = overview.credentials;
  const yesNo = (value: boolean) => (value ? t('common.yes', 'Yes') : t('common.no', 'No'));
  return (
    <Section title={t('credentials.title', 'Credentials accepted')}>
      <Row label={t('credentials.jwt', 'JWT issuers')}>
        {jwt ? jwt.issuers.join(', ') : t('credentials.jwt.none', 'Not configured')}
      </Row>
      {jwt ? (
        <Row label={t('credentials.keySource', 'Key source')}>
          {jwt.jwksUri ? `${jwt.keySource} (${jwt.jwksUri})` : jwt.keySource}
        </Row>
      ) : null}
      {jwt?.audience.length ? <Row label={t('credentials.audience', 'Audience')}>{jwt.audience.join(', ')}</Row> : null}
      <Row label={t('credentials.adminTokens', 'Strapi admin tokens')}>
        {adminTokens.enabled ? t('common.accepted', 'Accepted') : t('common.refused', 'Refused')}
      </Row>
      <Row label={t('credentials.oauth', 'OAuth authorization servers')}>
        {oauth.authorizationServers.length ? oauth.authorizationServers.join(', ') : t('common.none', 'None')}
      </Row>
      <Row label={t('credentials.internalSecret', 'Internal secret header required')}>
        {overview.internalSecret.required
          ? `${yesNo(true)} (${overview.internalSecret.header})`
          : overview.internalSecret.requiredForAdminTokens
            ? t('credentials.internalSecret.adminTokens', 'For admin tokens only ({header})', {
                header: overview.internalSecret.header,
              })
            : yesNo(false)}
      </Row>
      <Row label={t('credentials.protocols', 'Protocol versions')}>{overview.protocolVersions.join(', ')}</Row>
    </Section>
  );
};

export const HealthPanel = ({ overview }: { overview: Overview }) => {
  const t = useTranslate();
  const { keys, redis, sessions } = overview;
  const reachability =
    keys.reachable === null ? (
      <Badge>{t('health.keys.local', 'Held in the configuration')}</Badge>
    ) : keys.reachable ? (
      <Badge variant="success">{t('health.keys.reachable', 'Reachable')}</Badge>
    ) : (
      <Badge variant="danger">{t('health.keys.unreachable', 'Unreachable')}</Badge>
    );
  const redisStatus = {
    ready: <Badge variant="success">{t('health.redis.ready', 'Ready')}</Badge>,
    connecting: <Badge variant="warning">{t('health.redis.connecting', 'Connecting')}</Badge>,
    down: <Badge variant="danger">{t('health.redis.down', 'Down')}</Badge>,
  };
  return (
    <Section title={t('health.title', 'Health')}>
      <Row label={t('health.sessions', 'Open sessions')}>
        {t('health.sessions.value', '{open} of {max}', { open: sessions.open, max: sessions.max })}
      </Row>
      <Row label={t('health.keys', 'Signing keys')}>
        {keys.source ? (
          <Flex gap={2}>
            <Typography>{keys.source}</Typography>
            {reachability}
          </Flex>
        ) : (
          t('health.keys.none', 'No JWT keys configured')
        )}
      </Row>
      {keys.source ? (
        <Row label={t('health.keys.lastRefresh', 'Last key refresh')}>
          <DateTime value={keys.lastRefreshAt} />
        </Row>
      ) : null}
      {keys.error ? (
        <Row label={t('health.keys.error', 'Key error')}>
          <Typography textColor="danger600">{keys.error}</Typography>
        </Row>
      ) : null}
      {redis.configured ? (
        <Row label={t('health.redis', 'Redis')}>
          {redis.status ? redisStatus[redis.status] : <Badge>{t('health.keys.unknown', 'Not checked')}</Badge>}
        </Row>
      ) : null}
    </Section>
  );
};
