import { describe, expect, test } from 'vitest';
import { PartitionBook } from '../../src/consumer/partition-book.ts';
import type { ConsumerPort } from '../../src/consumer/port.ts';

const ends = { 0: 610, 1: 610, 2: 610, 3: 610 };
const readTo = (book: PartitionBook, partition: number, from: number, to: number) => {
  for (let offset = from; offset < to; offset++) book.processed(partition, offset);
};

// A member read partitions 1 and 3 to their ends (610); then a rebalance gave it partitions 0–3.
function memberThatReadItsShare(client: ConsumerPort['uncommittedOnReassign']): PartitionBook {
  const book = new PartitionBook({}, client);
  book.assign([1, 3], { from: 'kafka' });
  readTo(book, 1, 0, 610);
  readTo(book, 3, 0, 610);
  book.assign([0, 1, 2, 3], { from: 'kafka' });
  return book;
}

describe('PartitionBook: how far a process is, for the drain test', () => {
  test('before the reassignment, its share is done', () => {
    const book = new PartitionBook({}, 'log-start');
    book.assign([1, 3], { from: 'kafka' });
    readTo(book, 1, 0, 610);
    readTo(book, 3, 0, 610);
    expect(book.reachedOn([1, 3], ends)).toBe(true);
  });

  test('Kafka reassigns: nothing is done until the group commits are read again', () => {
    const book = memberThatReadItsShare('log-start');
    readTo(book, 0, 0, 610);
    readTo(book, 2, 0, 610);
    expect(book.reached(ends)).toBe(false);
  });

  test('a kept partition with a commit short of where it read resumes at the commit (both clients): its unsaved reads come again', () => {
    for (const client of ['log-start', 'where-it-was'] as const) {
      const book = memberThatReadItsShare(client);
      book.refreshCommitted({ 0: 610, 1: 610, 2: 610, 3: 578 }, [0, 1, 2, 3]);
      expect(book.resumeFrom).toEqual({ 0: 610, 1: 610, 2: 610, 3: 578 });
      expect(book.reached(ends)).toBe(false);
      readTo(book, 3, 578, 610);
      expect(book.reached(ends)).toBe(true);
    }
  });

  test('a kept partition without a commit: kafkajs starts it at the log start again, @platformatic/kafka goes on where it was', () => {
    const kafkajs = memberThatReadItsShare('log-start');
    kafkajs.refreshCommitted({ 0: 610, 1: 610, 2: 610 }, [0, 1, 2, 3]);
    expect(kafkajs.resumeFrom[3]).toBe(0);
    const platformatic = memberThatReadItsShare('where-it-was');
    platformatic.refreshCommitted({ 0: 610, 1: 610, 2: 610 }, [0, 1, 2, 3]);
    expect(platformatic.resumeFrom[3]).toBe(610);
    expect(platformatic.reached(ends)).toBe(true);
  });

  test('what it read after the reassignment, before the commits came, is where it is', () => {
    const book = memberThatReadItsShare('log-start');
    readTo(book, 3, 578, 600);
    book.refreshCommitted({ 0: 610, 1: 610, 2: 610, 3: 578 }, [0, 1, 2, 3]);
    expect(book.reached(ends)).toBe(false);
    readTo(book, 3, 600, 610);
    expect(book.reached(ends)).toBe(true);
  });

  test('a store of its own that is not authoritative: a partition it kept continues where this process got to', () => {
    const book = new PartitionBook({}, 'log-start');
    book.assign([1], { from: 'checkpoint', positions: {} });
    readTo(book, 1, 0, 610);
    expect(book.assign([0, 1], { from: 'checkpoint', positions: { 0: 500, 1: 578 } })).toEqual({ 0: 500, 1: 610 });
    expect(book.reachedOn([1], ends)).toBe(true);
  });

  test('on a client that goes on where it was (@platformatic/kafka), a kept partition is not sought to where this process got to', () => {
    const book = new PartitionBook({}, 'where-it-was');
    book.assign([1], { from: 'checkpoint', positions: {} });
    readTo(book, 1, 0, 300);
    // a seek would fetch again what its stream has buffered beyond 300; the moved partition 0 is sought
    expect(book.assign([0, 1], { from: 'checkpoint', positions: { 0: 500, 1: 200 } })).toEqual({ 0: 500 });
    expect(book.resumeFrom).toEqual({ 0: 500, 1: 300 });
  });

  test('an authoritative store decides on every assignment: the kept partition resumes at its stored offset', () => {
    const book = new PartitionBook({}, 'log-start');
    book.assign([1], { from: 'checkpoint', positions: {}, authoritative: true });
    readTo(book, 1, 0, 610);
    expect(book.assign([0, 1], { from: 'checkpoint', positions: { 0: 500, 1: 578 }, authoritative: true })).toEqual({ 0: 500, 1: 578 });
    expect(book.reachedOn([1], ends)).toBe(false);
    // and the seek-race guard watches that partition again: a delivery before 578 would be a harness bug
    expect(book.seekMissedBy(1, 577)).toBe(578);
    readTo(book, 1, 578, 610);
    expect(book.reachedOn([1], ends)).toBe(true);
  });
});
