import { Flex, Table, Tbody, Td, TextButton, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { CaretDown, CaretUp } from '@strapi/icons';
import type { AuditQuery, AuditRow, AuditSortField } from '../../api';
import { DateTime } from '../../components/DateTime';
import { DecisionBadge } from '../../components/DecisionBadge';
import { useTranslate } from '../../translations';

interface AuditTableProps {
  rows: AuditRow[];
  sort: Pick<AuditQuery, 'sort' | 'order'>;
  onSort: (sort: Pick<AuditQuery, 'sort' | 'order'>) => void;
  onOpen: (row: AuditRow) => void;
}

export const AuditTable = ({ rows, sort, onSort, onOpen }: AuditTableProps) => {
  const t = useTranslate();
  const columns: Array<{ field: AuditSortField; label: string }> = [
    { field: 'occurredAt', label: t('audit.occurredAt', 'Time') },
    { field: 'adminUserEmail', label: t('audit.user', 'User') },
    { field: 'tool', label: t('audit.tool', 'Tool') },
    { field: 'contentType', label: t('audit.contentType', 'Content type') },
    { field: 'decision', label: t('audit.decision', 'Decision') },
    { field: 'durationMs', label: t('audit.duration', 'Duration') },
  ];

  const sortBy = (field: AuditSortField) =>
    onSort({ sort: field, order: sort.sort === field && sort.order === 'desc' ? 'asc' : 'desc' });

  return (
    <Table colCount={columns.length} rowCount={rows.length + 1}>
      <Thead>
        <Tr>
          {columns.map((column) => {
            const isSorted = sort.sort === column.field;
            return (
              <Th
                key={column.field}
                aria-sort={isSorted ? (sort.order === 'asc' ? 'ascending' : 'descending') : 'none'}
              >
                <TextButton
                  onClick={() => sortBy(column.field)}
                  endIcon={isSorted ? sort.order === 'asc' ? <CaretUp /> : <CaretDown /> : undefined}
                  aria-label={t('audit.sortBy', 'Sort by {column}', { column: column.label })}
                >
                  <Typography variant="sigma" textColor={isSorted ? 'primary600' : 'neutral600'}>
                    {column.label}
                  </Typography>
                </TextButton>
              </Th>
            );
          })}
        </Tr>
      </Thead>
      <Tbody>
        {rows.map((row) => (
          <Tr key={row.id} onClick={() => onOpen(row)} style={{ cursor: 'pointer' }}>
            <Td>
              <DateTime value={row.occurredAt} />
            </Td>
            <Td>
              <Typography textColor="neutral800">{row.adminUserEmail ?? '—'}</Typography>
            </Td>
            <Td>
              <Flex direction="column" alignItems="flex-start">
                <Typography textColor="neutral800">{row.tool ?? '—'}</Typography>
                {row.action ? (
                  <Typography variant="pi" textColor="neutral600">
                    {row.action}
                  </Typography>
                ) : null}
              </Flex>
            </Td>
            <Td>
              <Typography textColor="neutral800">{row.contentType ?? '—'}</Typography>
            </Td>
            <Td>
              <DecisionBadge decision={row.decision} />
            </Td>
            <Td>
              <Typography textColor="neutral800">
                {row.durationMs === null ? '—' : t('unit.ms', '{value} ms', { value: row.durationMs })}
              </Typography>
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};
