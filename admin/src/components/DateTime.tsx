import { Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';

/** An ISO date shown in the admin's locale; a dash when there is none. */
export const DateTime = ({ value }: { value: string | null | undefined }) => {
  const { formatDate } = useIntl();
  if (!value) return <Typography textColor="neutral500">—</Typography>;
  return (
    <Typography textColor="neutral800">
      <time dateTime={value}>{formatDate(value, { dateStyle: 'medium', timeStyle: 'medium' })}</time>
    </Typography>
  );
};
