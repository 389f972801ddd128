import { Box, Flex, Tabs, Typography } from '@strapi/design-system';
import type { Overview } from '../../api';
import { CodeBlock } from '../../components/CodeBlock';
import { CopyButton } from '../../components/CopyButton';
import { Section } from '../../components/Section';
import { useTranslate } from '../../translations';
import { buildConnectionSnippets, type SnippetId } from './connectionSnippets';

export const ConnectionSnippets = ({ overview }: { overview: Overview }) => {
  const t = useTranslate();
  const snippets = buildConnectionSnippets(overview);
  const tabs: Array<{ id: SnippetId; label: string; hint: string }> = [
    {
      id: 'typescript',
      label: t('snippets.typescript', 'TypeScript SDK'),
      hint: t(
        'snippets.typescript.hint',
        'An ES module (whoami.mjs) where npm install @modelcontextprotocol/client ran; node whoami.mjs.',
      ),
    },
    {
      id: 'inspector',
      label: t('snippets.inspector', 'MCP Inspector'),
      hint: t('snippets.inspector.hint', 'Calls whoami from a terminal (the Inspector needs Node 22, fetched by npx).'),
    },
    {
      id: 'claude',
      label: t('snippets.claude', 'Claude Desktop'),
      hint: t('snippets.claude.hint', 'In claude_desktop_config.json, through mcp-remote.'),
    },
    {
      id: 'cursor',
      label: t('snippets.cursor', 'Cursor'),
      hint: t('snippets.cursor.hint', 'In .cursor/mcp.json of your project.'),
    },
  ];

  return (
    <Section
      title={t('snippets.title', 'Connect a client')}
      description={t(
        'snippets.description',
        'Put a bearer token in MCP_TOKEN (or in place of {token}): a JWT of your identity provider or a Strapi admin token (Settings → Admin tokens){required, select, true {; and the internal secret (MCP_SECRET_KEY of the server) in MCP_SECRET_KEY, or in place of {secret}} other {}}.',
        {
          token: '<token>',
          secret: '<internal secret>',
          required: overview.internalSecret.required ? 'true' : 'false',
        },
      )}
    >
      <Tabs.Root defaultValue="typescript">
        <Tabs.List aria-label={t('snippets.tabs', 'Client')}>
          {tabs.map((tab) => (
            <Tabs.Trigger key={tab.id} value={tab.id}>
              {tab.label}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        {tabs.map((tab) => (
          <Tabs.Content key={tab.id} value={tab.id}>
            <Box paddingTop={4}>
              <Flex justifyContent="space-between" alignItems="center" paddingBottom={2}>
                <Typography variant="pi" textColor="neutral600">
                  {tab.hint}
                </Typography>
                <CopyButton
                  text={snippets[tab.id]}
                  label={t('snippets.copy', 'Copy {client}', { client: tab.label })}
                />
              </Flex>
              <CodeBlock>{snippets[tab.id]}</CodeBlock>
            </Box>
          </Tabs.Content>
        ))}
      </Tabs.Root>
    </Section>
  );
};
