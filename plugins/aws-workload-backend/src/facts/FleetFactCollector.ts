import { Entity } from '@backstage/catalog-model';
import { IamService, IamServiceOptions } from '../clients/IamService';
import { FleetIamReader, FleetIamStats } from '../fleet/FleetIamReader';
import { entityFacts } from './EntityFactCollector';
import { EntityFacts, FactCollector } from './EntityFacts';
import {
  FactReaders,
  readImageFacts,
  readTableFacts,
  readWorkloadFacts,
  roleUsesOf,
  withCredentialFacts,
} from './factReads';

export interface FleetFactCollectorOptions {
  /**
   * The run's readers: a run-scoped loader, so each list, table, repository
   * and role is read once per run, and a cluster snapshot source.
   */
  readers: Omit<FactReaders, 'iam'>;
  /** How IAM is read during the run; the IAM phase's answers are added. */
  iam: IamServiceOptions;
  /** Reads and simulates the roles per account, remembering across runs. */
  iamReader: FleetIamReader;
}

export interface FleetFacts {
  /** Each entity's facts, in the order given, each as soon as it is read. */
  facts: Promise<EntityFacts>[];
  /** How the IAM phase read the roles; undefined when it failed. */
  iam: Promise<FleetIamStats | undefined>;
}

/**
 * The fleet's facts, in explicit phases: the tables and images start at once
 * (they depend on nothing else); the workloads of every entity are read from
 * one snapshot per cluster; then IAM is read per account and simulated per
 * role, once; then each workload's credential chain is read, its IAM answers
 * taken from that phase. Each entity's facts are handed over as soon as they
 * are complete, so that its assessment overlaps the reads still running.
 */
export class FleetFactCollector implements FactCollector {
  constructor(private readonly options: FleetFactCollectorOptions) {}

  collect(entities: Entity[]): Promise<EntityFacts[]> {
    return Promise.all(this.collectFleet(entities).facts);
  }

  collectFleet(entities: Entity[]): FleetFacts {
    const { iamReader } = this.options;
    const { logger } = this.options.readers;
    const readers: FactReaders = {
      ...this.options.readers,
      iam: new IamService(this.options.iam),
    };
    // None of these reject: each read turns its failure into that section's error.
    const resources = entities.map(e =>
      Promise.all([readTableFacts(readers, e), readImageFacts(readers, e)]),
    );
    const workloads = entities.map(e => readWorkloadFacts(readers, e));
    const iamRead = Promise.all(workloads)
      .then(read =>
        iamReader.read(
          readers.iam,
          entities.flatMap((e, i) => roleUsesOf(readers, e, read[i])),
        ),
      )
      .catch(error => {
        logger.warn(
          `The fleet's IAM phase failed; the chains read IAM role by role: ${error}`,
        );
        return undefined;
      });
    const answered = iamRead.then(
      (read): FactReaders => ({
        ...readers,
        iam: new IamService({
          ...this.options.iam,
          known: Promise.resolve(read?.answers),
        }),
      }),
    );
    const facts = entities.map(async (entity, i) => {
      const chains = workloads[i].then(async w =>
        withCredentialFacts(await answered, entity, w),
      );
      const [[table, images], withChains] = await Promise.all([
        resources[i],
        chains,
      ]);
      return entityFacts(entity, { table, images, workloads: withChains });
    });
    return { facts, iam: iamRead.then(read => read?.stats) };
  }
}
