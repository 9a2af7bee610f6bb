import { describe, expect, it } from 'vitest';
import { parsePidfLo } from '../../../server/incidents/pidfLo';
import { HttpError } from '../../../server/http/errorHandler';

const doc = (inner: string) =>
  `<presence xmlns:gml="http://www.opengis.net/gml" xmlns:ca="urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr">${inner}</presence>`;

describe('PIDF-LO', () => {
  it('reads a point, latitude first', () => {
    expect(parsePidfLo(doc('<gml:Point><gml:pos>36.1 -80.25</gml:pos></gml:Point>'), 'f')).toEqual({
      position: { lat: 36.1, lon: -80.25 },
      radiusM: null,
      address: null,
    });
  });

  it('keeps entity references as text: only XML’s own five and character references decode', () => {
    const parsed = parsePidfLo(
      doc(
        '<ca:civicAddress><ca:HNO>5</ca:HNO><ca:RD>Smith &amp; Wesson &#x41;ve &xxe;</ca:RD></ca:civicAddress>',
      ),
      'f',
    );
    expect(parsed.address).toBe('5 Smith & Wesson Ave &xxe;');
  });

  it('refuses declarations before parsing anything, naming the field', () => {
    const attempt = () =>
      parsePidfLo('<!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>', 'body.x');
    expect(attempt).toThrow(HttpError);
    expect(attempt).toThrow(/body\.x: a DOCTYPE or entity declaration is refused/);
  });

  it('takes a radius in metres only', () => {
    const circle = (uom: string) =>
      doc(
        `<gs:Circle xmlns:gs="http://www.opengis.net/pidflo/1.0"><gml:pos>36 -80</gml:pos><gs:radius uom="${uom}">30</gs:radius></gs:Circle>`,
      );
    expect(parsePidfLo(circle('urn:ogc:def:uom:EPSG::9001'), 'f').radiusM).toBe(30);
    expect(parsePidfLo(circle('urn:ogc:def:uom:EPSG::9002'), 'f').radiusM).toBeNull();
  });
});
