import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanText } from './scan-text.js';

const detectLanguage = (text: string): string => scanText(text).language;

test('scripts and stop words', () => {
  assert.equal(detectLanguage('What is the capital of France and how big is it?'), 'en');
  assert.equal(detectLanguage('Quelle est la capitale de la France et pour vous une ville?'), 'fr');
  assert.equal(detectLanguage('Das ist nicht die Hauptstadt, und ich weiß es nicht.'), 'de');
  assert.equal(detectLanguage('¿Cuál es la capital de España y por qué es una ciudad grande?'), 'es');
  assert.equal(detectLanguage('東京は日本の首都です。人口が多い都市です。'), 'zh');
  assert.equal(detectLanguage('Привет, как дела? Это очень хорошо.'), 'ru');
  assert.equal(detectLanguage('   '), 'und');
  assert.equal(detectLanguage('x = 1 + 2'), 'und');
});
