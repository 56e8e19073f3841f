import { describe, expect, it } from 'vitest';
import { readYaml } from './read-yaml.testing.js';
import { toYaml, yamlScalar, type YamlValue } from './yaml.js';

describe('yaml writer', () => {
  it('quotes strings a YAML reader could take for something else', () => {
    expect(yamlScalar('nodejs20.x')).toBe('nodejs20.x');
    expect(yamlScalar('/items/{id}')).toBe('/items/{id}');
    expect(yamlScalar('/{proxy+}')).toBe('/{proxy+}');
    expect(yamlScalar('AWS::Serverless-2016-10-31')).toBe('AWS::Serverless-2016-10-31');
    for (const tricky of ['yes', 'No', 'on', 'null', '~', '2010-09-09', '123', '1e3', 'a: b', 'key:', '- x', '#x', '*', 'cron(0 3 * * ? *)', '', ' x', 'ü', 'a"b']) {
      expect(yamlScalar(tricky), tricky).toMatch(/^"/);
    }
    expect(yamlScalar(30)).toBe('30');
    expect(yamlScalar(true)).toBe('true');
  });

  it('round-trips nested mappings and sequences, leaving out undefined', () => {
    const value: YamlValue = {
      Resources: {
        GetItem: {
          Type: 'AWS::Serverless::Function',
          Properties: { Events: { Http: { Type: 'HttpApi', Properties: { Path: '/items/{id}', Method: 'ANY' } } } },
        },
      },
      List: ['a', 1, { k: 'v', n: ['x', 'y'] }, [], {}],
      Nothing: undefined,
      Empty: {},
      'odd key': 'yes',
    };
    const text = toYaml(value, ['comment']);
    expect(text.startsWith('# comment\n')).toBe(true);
    expect(text.endsWith('\n')).toBe(true);
    expect(text).not.toContain('Nothing');
    const { Nothing: _, ...expected } = value as Record<string, unknown>;
    expect(readYaml(text)).toEqual(expected);
  });
});
