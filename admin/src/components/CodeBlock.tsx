import { Box, Typography } from '@strapi/design-system';

const MONOSPACE = { fontFamily: 'monospace', whiteSpace: 'pre', margin: 0 } as const;

/** Preformatted code (a snippet, a JSON document) in a grey box. */
export const CodeBlock = ({ children, label }: { children: string; label?: string }) => (
  <Box background="neutral100" padding={4} hasRadius borderColor="neutral200" overflow="auto" aria-label={label}>
    <Typography tag="pre" variant="pi" textColor="neutral800" style={MONOSPACE}>
      <code>{children}</code>
    </Typography>
  </Box>
);

/** A short piece of code inline, e.g. a URL or a header name. */
export const InlineCode = ({ children }: { children: string }) => (
  <Box background="neutral100" paddingLeft={2} paddingRight={2} paddingTop={1} paddingBottom={1} hasRadius>
    <Typography textColor="neutral800" style={{ fontFamily: 'monospace' }}>
      {children}
    </Typography>
  </Box>
);
