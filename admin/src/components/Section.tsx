import * as React from 'react';
import { Box, Flex, Typography } from '@strapi/design-system';

interface SectionProps {
  title: string;
  description?: React.ReactNode;
  actions?: React.ReactNode;
  children: React.ReactNode;
}

/** A white card with a heading, the building block of every page of the plugin. */
export const Section = ({ title, description, actions, children }: SectionProps) => (
  <Box
    background="neutral0"
    hasRadius
    shadow="filterShadow"
    paddingTop={6}
    paddingBottom={6}
    paddingLeft={7}
    paddingRight={7}
  >
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Flex justifyContent="space-between" alignItems="flex-start" gap={4}>
        <Flex direction="column" alignItems="flex-start" gap={1}>
          <Typography variant="delta" tag="h2">
            {title}
          </Typography>
          {description ? (
            <Typography variant="pi" textColor="neutral600">
              {description}
            </Typography>
          ) : null}
        </Flex>
        {actions}
      </Flex>
      {children}
    </Flex>
  </Box>
);
