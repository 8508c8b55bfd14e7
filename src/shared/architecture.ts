/** The layer shapes and parameter counts a configuration implies (for the New run summary). */
import type { LayerConfig, RunConfig } from './config.js';
import type { Architecture } from './contract.js';

type Shape = Architecture['generator'][number];

function stack(prefix: string, input: number, layers: Array<Pick<LayerConfig, 'units' | 'activation' | 'batchNorm'>>): Shape[] {
  let fanIn = input;
  return layers.map((l, i) => {
    const shape = {
      name: `${prefix}${i}`,
      input: fanIn,
      output: l.units,
      activation: l.activation + (l.batchNorm ? ' + batch norm' : ''),
      parameters: fanIn * l.units + l.units + (l.batchNorm ? 2 * l.units : 0),
    };
    fanIn = l.units;
    return shape;
  });
}

const linear = (units: number) => ({ units, activation: 'linear' as const, batchNorm: false });

export function architectureOf(config: RunConfig, dataDim = 2): Architecture {
  const generator = stack('G', config.noise.dim, [...config.generator.hidden, linear(dataDim)]);
  const generatorOut = generator[generator.length - 1]!;
  generatorOut.name = 'G out';
  const body = stack('D', dataDim, [...config.discriminator.hidden, linear(config.discriminator.featureWidth)]);
  body[body.length - 1]!.name = 'D features h';
  const logit = stack('D logit', config.discriminator.featureWidth, [linear(1)]);
  logit[0]!.name = 'D logit';
  const discriminator = [...body, ...logit];
  const sum = (s: Shape[]) => s.reduce((n, l) => n + l.parameters, 0);
  return { generator, discriminator, generatorParameters: sum(generator), discriminatorParameters: sum(discriminator) };
}
