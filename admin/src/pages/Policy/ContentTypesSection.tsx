import { Accordion, Checkbox, Flex, Typography } from '@strapi/design-system';
import type { ContentTypePolicy, ContentTypeSchema } from '../../api';
import { Section } from '../../components/Section';
import { useTranslate } from '../../translations';
import { ContentTypeEditor } from './ContentTypeEditor';
import { omitKey, updateContentType, type PolicyEditorProps } from './policyEditing';

interface ContentTypesSectionProps extends PolicyEditorProps {
  schemas: ContentTypeSchema[];
  actions: string[];
  /**
   * Where a type ticked again gets its rules back from, first match wins: the policy in force, then the config file's.
   * Ticking must never drop a type's overrides, field rules or conditions (that would widen what roles may do).
   */
  knownRules: Array<Record<string, ContentTypePolicy>>;
}

export const ContentTypesSection = ({
  policy,
  onChange,
  disabled,
  schemas,
  actions,
  knownRules,
}: ContentTypesSectionProps) => {
  const t = useTranslate();
  const roles = Object.keys(policy.roles);
  const exposed = schemas.filter((schema) => policy.contentTypes[schema.uid]);

  const expose = (uid: string, checked: boolean) =>
    onChange((current) => ({
      ...current,
      contentTypes: checked
        ? {
            ...current.contentTypes,
            [uid]: knownRules.find((rules) => Object.hasOwn(rules, uid))?.[uid] ?? { fields: {}, conditions: [] },
          }
        : omitKey(current.contentTypes, uid),
    }));

  return (
    <Section
      title={t('policy.types.title', 'Exposed content types')}
      description={t('policy.types.description', 'Only the content types ticked here exist for MCP clients.')}
    >
      <Flex gap={4} wrap="wrap">
        {schemas.map((schema) => (
          <Checkbox
            key={schema.uid}
            disabled={disabled}
            checked={Boolean(policy.contentTypes[schema.uid])}
            onCheckedChange={(checked) => expose(schema.uid, checked === true)}
          >
            {schema.displayName}
          </Checkbox>
        ))}
      </Flex>
      {exposed.length === 0 ? (
        <Typography textColor="neutral600">{t('policy.types.none', 'No content type is exposed.')}</Typography>
      ) : (
        <Accordion.Root>
          {exposed.map((schema) => (
            <ContentTypeEditor
              key={schema.uid}
              schema={schema}
              typePolicy={policy.contentTypes[schema.uid]}
              roles={roles}
              actions={actions}
              disabled={disabled}
              onChange={(typePolicy) => onChange((current) => updateContentType(current, schema.uid, () => typePolicy))}
            />
          ))}
        </Accordion.Root>
      )}
    </Section>
  );
};
