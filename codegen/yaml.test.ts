import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
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
    // Read back by a real parser, under YAML 1.2 and under 1.1 (CloudFormation's reader takes yes/no/on for booleans).
    for (const value of ['yes', 'No', 'on', 'null', '~', '2010-09-09', '123', '1e3', 'a: b', 'cron(0 3 * * ? *)', 'nodejs24.x', '/{proxy+}', 'AWS::Serverless-2016-10-31']) {
      for (const version of ['1.1', '1.2'] as const) expect(parse(`k: ${yamlScalar(value)}`, { version }), `${value} in YAML ${version}`).toEqual({ k: value });
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
    expect(parse(text)).toEqual(expected);
    expect(parse(text, { version: '1.1' })).toEqual(expected);
  });
});
