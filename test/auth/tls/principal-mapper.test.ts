// Kafka's SslPrincipalMapperTest cases, run against the port.

import { ConfigError } from '../../../src/config';
import { NoMatchingRule, SslPrincipalMapper } from '../../../src/auth/tls/principal-mapper';

describe('SslPrincipalMapper', () => {
  test('accepts valid rules', () => {
    for (const rules of [
      'DEFAULT',
      'RULE:^CN=(.*?),OU=ServiceUsers.*$/$1/',
      'RULE:^CN=(.*?),OU=ServiceUsers.*$/$1/L, DEFAULT',
      'RULE:^CN=(.*?),OU=(.*?),O=(.*?),L=(.*?),ST=(.*?),C=(.*?)$/$1@$2/',
      'RULE:^.*[Cc][Nn]=([a-zA-Z0-9.]*).*$/$1/L',
      'RULE:^cn=(.?),ou=(.?),dc=(.?),dc=(.?)$/$1@$2/U',
      'RULE:^CN=([^,ADEFLTU,]+)(,.*|$)/$1/',
      'RULE:^CN=([^,DEFAULT,]+)(,.*|$)/$1/',
    ]) {
      expect(() => SslPrincipalMapper.fromRules(rules)).not.toThrow();
    }
  });

  test('refuses invalid rules', () => {
    for (const rules of [
      'default',
      'DEFAUL',
      'DEFAULT/L',
      'DEFAULT/U',
      'RULE:CN=(.*?),OU=ServiceUsers.*/$1',
      'rule:^CN=(.*?),OU=ServiceUsers.*$/$1/',
      'RULE:^CN=(.*?),OU=ServiceUsers.*$/$1/L/U',
      'RULE:^CN=(.*?),OU=ServiceUsers.*$/L',
      'RULE:^CN=(.*?),OU=ServiceUsers.*$/U',
      'RULE:^CN=(.*?),OU=ServiceUsers.*$/LU',
    ]) {
      expect(() => SslPrincipalMapper.fromRules(rules)).toThrow(/^Invalid rule/);
    }
  });

  test('maps names with the first matching rule', () => {
    const mapper = SslPrincipalMapper.fromRules(
      [
        'RULE:^CN=(.*?),OU=ServiceUsers.*$/$1/L',
        'RULE:^CN=(.*?),OU=(.*?),O=(.*?),L=(.*?),ST=(.*?),C=(.*?)$/$1@$2/L',
        'RULE:^cn=(.*?),ou=(.*?),dc=(.*?),dc=(.*?)$/$1@$2/U',
        'RULE:^.*[Cc][Nn]=([a-zA-Z0-9.]*).*$/$1/U',
        'DEFAULT',
      ].join(', '),
    );
    expect(mapper.getName('CN=Duke,OU=ServiceUsers,O=Org,C=US')).toBe('duke');
    expect(mapper.getName('CN=Duke,OU=SME,O=mycp,L=Fulton,ST=MD,C=US')).toBe('duke@sme');
    expect(mapper.getName('cn=duke,ou=sme,dc=mycp,dc=com')).toBe('DUKE@SME');
    expect(mapper.getName('cN=duke,OU=JavaSoft,O=Sun Microsystems')).toBe('DUKE');
    expect(mapper.getName('OU=JavaSoft,O=Sun Microsystems,C=US')).toBe('OU=JavaSoft,O=Sun Microsystems,C=US');
  });

  test('splits rules as Kafka does', () => {
    const cases: [string, string][] = [
      ['[]', ''],
      ['[DEFAULT]', 'DEFAULT'],
      ['[RULE:/]', 'RULE://'],
      ['[RULE:/.*]', 'RULE:/.*/'],
      ['[RULE:/.*/L]', 'RULE:/.*/L'],
      ['[RULE:/, DEFAULT]', 'RULE://,DEFAULT'],
      ['[RULE:/, DEFAULT]', '  RULE:// ,  DEFAULT  '],
      ['[RULE:   /     , DEFAULT]', '  RULE:   /     / ,  DEFAULT  '],
      ['[RULE:  /     /U, DEFAULT]', '  RULE:  /     /U   ,DEFAULT  '],
      ['[RULE:([A-Z]*)/$1/U, RULE:([a-z]+)/$1, DEFAULT]', '  RULE:([A-Z]*)/$1/U   ,RULE:([a-z]+)/$1/,   DEFAULT  '],
      ['[]', ',   , , ,      , , ,   '],
      ['[RULE:/, DEFAULT]', ',,RULE://,,,DEFAULT,,'],
      ['[RULE: /   , DEFAULT]', ',  , RULE: /   /    ,,,   DEFAULT, ,   '],
      ['[RULE:   /  /U, DEFAULT]', '     ,  , RULE:   /  /U    ,,  ,DEFAULT, ,'],
      ['[RULE:\\/\\\\\\(\\)\\n\\t/\\/\\/]', 'RULE:\\/\\\\\\(\\)\\n\\t/\\/\\//'],
      ['[RULE:\\**\\/+/*/L, RULE:\\/*\\**/**]', 'RULE:\\**\\/+/*/L,RULE:\\/*\\**/**/'],
      [
        '[RULE:,RULE:,/,RULE:,\\//U, RULE:,/RULE:,, RULE:,RULE:,/L,RULE:,/L, RULE:, DEFAULT, /DEFAULT, DEFAULT]',
        'RULE:,RULE:,/,RULE:,\\//U,RULE:,/RULE:,/,RULE:,RULE:,/L,RULE:,/L,RULE:, DEFAULT, /DEFAULT/,DEFAULT',
      ],
    ];
    for (const [expected, rules] of cases) {
      expect(SslPrincipalMapper.fromRules(rules).toString()).toBe(`SslPrincipalMapper(rules = ${expected})`);
    }
  });

  test('handles escaped commas with whitespace', () => {
    const mapper = SslPrincipalMapper.fromRules('RULE:^CN=((\\\\, *|\\w)+)(,.*|$)/$1/,DEFAULT');
    expect(mapper.getName('CN=Tkac\\, Adam,OU=ITZ,DC=geodis,DC=cz')).toBe('Tkac\\, Adam');
  });

  test('a back reference past the last group stays literal', () => {
    expect(SslPrincipalMapper.fromRules('RULE:^CN=(.*?),(.*?),(.*)$/$1@$4/').getName('CN=a,b,c')).toBe('a@$4');
    expect(SslPrincipalMapper.fromRules('RULE:^CN=(.*?),.*$/$12/').getName('CN=a,b')).toBe('a2');
  });

  test('no matching rule fails', () => {
    const mapper = SslPrincipalMapper.fromRules('RULE:^CN=(.*?),OU=ServiceUsers.*$/$1/');
    expect(() => mapper.getName('CN=bob')).toThrow(NoMatchingRule);
    expect(() => mapper.getName('CN=bob')).toThrow('No rules apply to CN=bob, rules [RULE:^CN=(.*?),OU=ServiceUsers.*$/$1]');
  });

  test('a config with a bad rule names the key', () => {
    expect(() => SslPrincipalMapper.fromConfig('DEFAUL', 'ssl.principal.mapping.rules')).toThrow(ConfigError);
    expect(() => SslPrincipalMapper.fromConfig('DEFAUL', 'ssl.principal.mapping.rules')).toThrow(
      'Invalid value DEFAUL for configuration ssl.principal.mapping.rules: Invalid rule: `DEFAUL`, unmatched substring: `DEFAUL`',
    );
  });
});
